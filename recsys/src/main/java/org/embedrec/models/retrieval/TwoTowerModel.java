package org.embedrec.models.retrieval;

import java.util.List;
import java.util.Objects;
import org.embedrec.engine.Rng;
import org.embedrec.models.HeapBudget;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CandidateFeatures;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.QueryFeatures;
import org.embedrec.features.QueryInputs;
import org.embedrec.nn.Module;
import org.embedrec.nn.losses.Reduction;
import org.embedrec.tasks.DistinctCandidates;
import org.embedrec.tasks.Retrieval;

/**
 * The two-tower retrieval model of the TensorFlow Recommenders "deep recommenders" tutorial:
 * towers plus a task. The {@link QueryTower} maps (user, timestamp) to {@code q}, the
 * {@link CandidateTower} maps an item's title to {@code c}, both of the width of the last dense
 * layer; an item's score for a query is {@code q . c}, and the {@link Retrieval} task trains the
 * towers with the in-batch softmax over those scores.
 *
 * <p>The model owns its preprocessing ({@link QueryFeatures}, {@link CandidateFeatures}), so a
 * raw query ({@link #queryEmbedding(String, long)}) and raw titles can be embedded without the
 * training data. Parameters live under {@code query_tower/...} and {@code candidate_tower/...}.
 */
public final class TwoTowerModel extends Module {
    /** Rows per forward pass when embedding many queries or candidates in inference mode. */
    private static final int INFERENCE_BATCH = 4096;

    private final TwoTowerConfig config;
    private final QueryFeatures queryFeatures;
    private final CandidateFeatures candidateFeatures;
    private final QueryTower queryTower;
    private final CandidateTower candidateTower;
    private final Retrieval task;

    /**
     * A new model for inputs encoded by these features, sized by {@code config}, weights drawn
     * from {@code rng}; refused before anything is allocated when its embedding tables would not
     * fit the heap (see {@link HeapBudget}).
     */
    public TwoTowerModel(QueryFeatures queryFeatures, CandidateFeatures candidateFeatures, TwoTowerConfig config,
                         Rng rng) {
        super("two_tower");
        this.config = Objects.requireNonNull(config, "config");
        this.queryFeatures = Objects.requireNonNull(queryFeatures, "queryFeatures");
        this.candidateFeatures = Objects.requireNonNull(candidateFeatures, "candidateFeatures");
        Objects.requireNonNull(rng, "rng");
        HeapBudget.requireFits(embeddingTables(queryFeatures, candidateFeatures, config.embeddingDim()),
                config.optimizer(), Runtime.getRuntime().maxMemory(), "Lower the embedding width (--embedding-dim)");
        this.queryTower = addChild(new QueryTower(queryFeatures, config.embeddingDim(), config.layers(), rng));
        this.candidateTower = addChild(new CandidateTower(candidateFeatures, config.embeddingDim(), config.layers(), rng));
        this.task = Retrieval.builder()
                .temperature(config.temperature())
                .logQCorrection(config.logQCorrection())
                .removeAccidentalHits(config.removeAccidentalHits())
                .reduction(Reduction.SUM)
                .build();
    }

    /** The four tables the towers look up, each {@code dim} wide: users, timestamp buckets, titles, title words. */
    static List<HeapBudget.Table> embeddingTables(QueryFeatures query, CandidateFeatures candidate, int dim) {
        return List.of(new HeapBudget.Table("user", query.userVocabularySize(), dim),
                new HeapBudget.Table("timestamp", query.timestampBucketCount(), dim),
                new HeapBudget.Table("title", candidate.titleVocabularySize(), dim),
                new HeapBudget.Table("title word", candidate.tokenVocabularySize(), dim));
    }

    public TwoTowerConfig config() {
        return config;
    }

    public QueryFeatures queryFeatures() {
        return queryFeatures;
    }

    public CandidateFeatures candidateFeatures() {
        return candidateFeatures;
    }

    public QueryTower queryTower() {
        return queryTower;
    }

    public CandidateTower candidateTower() {
        return candidateTower;
    }

    /** The loss: in-batch softmax with this model's temperature, log-q and accidental-hit settings, summed over the batch. */
    public Retrieval task() {
        return task;
    }

    /** The width of query and candidate embeddings. */
    public int embeddingWidth() {
        return queryTower.outputDim();
    }

    /** Query embeddings {@code [n, width]} in the current mode, on the gradient tape when one is open. */
    public Tensor queryEmbeddings(QueryInputs queries) {
        return queryTower.embed(queries);
    }

    /** Candidate embeddings {@code [n, width]} in the current mode, on the gradient tape when one is open. */
    public Tensor candidateEmbeddings(CandidateInputs candidates) {
        return candidateTower.embed(candidates);
    }

    /**
     * The retrieval loss of a batch, its own candidates the only negatives;
     * {@code candidateLogQ[i]} is candidate i's log sampling probability (null without log-q correction).
     */
    public Tensor computeLoss(RetrievalBatch batch, float[] candidateLogQ) {
        return computeLoss(queryEmbeddings(batch.queries()), batch, candidateLogQ, null, null, null);
    }

    /**
     * The retrieval loss of a batch with extra negatives: catalogue rows {@code negativeIds}
     * whose inputs are {@code negatives}, with log sampling probabilities {@code negativeLogQ}.
     */
    public Tensor computeLoss(RetrievalBatch batch, float[] candidateLogQ, CandidateInputs negatives,
                              int[] negativeIds, float[] negativeLogQ) {
        return computeLoss(queryEmbeddings(batch.queries()), batch, candidateLogQ, negatives, negativeIds,
                negativeLogQ);
    }

    /**
     * The retrieval loss of the query embeddings {@code queries} of a batch's pairs (computed by
     * the caller, who may reuse them) against the batch's candidates and optional negatives
     * ({@code negatives}, {@code negativeIds} and {@code negativeLogQ} all null when there are none).
     * The candidate tower runs once per distinct item ({@link DistinctCandidates}) and the loss
     * counts each item's copies, which is exact because an item's embedding does not depend on
     * the pair it came with; copies of an item must carry the same log-q.
     */
    public Tensor computeLoss(Tensor queries, RetrievalBatch batch, float[] candidateLogQ, CandidateInputs negatives,
                              int[] negativeIds, float[] negativeLogQ) {
        if ((negatives == null) != (negativeIds == null)) {
            throw new IllegalArgumentException("two-tower loss: negatives " + (negatives == null ? "absent" : "given")
                    + " but negative ids " + (negativeIds == null ? "absent" : "given") + "; expected both or neither");
        }
        DistinctCandidates columns = DistinctCandidates.of(batch.candidateIds(), negativeIds);
        Tensor candidates = candidateEmbeddings(columns.inputs(batch.candidates(), negatives));
        float[] columnLogQ = config.logQCorrection() ? columns.columnValues(candidateLogQ, negativeLogQ) : null;
        return task.loss(queries, columns, candidates, columnLogQ);
    }

    /** The embedding of one raw query, in inference mode; an unknown user gets the OOV embedding. */
    public float[] queryEmbedding(String userId, long timestamp) {
        return embedQueries(queryFeatures.encode(userId, timestamp));
    }

    /** Query embeddings in inference mode, {@code [n * width]} row-major, computed in batches. */
    public float[] embedQueries(QueryInputs queries) {
        return inference(queries.size(), (from, to) -> queryTower.embed(queries.range(from, to)));
    }

    /** Candidate embeddings in inference mode, {@code [n * width]} row-major, computed in batches. */
    public float[] embedCandidates(CandidateInputs candidates) {
        return inference(candidates.size(), (from, to) -> candidateTower.embed(candidates.range(from, to)));
    }

    /** The embedding of every catalogue item, row-aligned with the catalogue, in inference mode. */
    public float[] embedCatalogue(CandidateCatalogue catalogue) {
        return embedCandidates(catalogue.inputs());
    }

    /** A tower's forward pass over rows {@code [from, to)} of its inputs. */
    @FunctionalInterface
    private interface RowsForward {
        Tensor embed(int from, int to);
    }

    private float[] inference(int n, RowsForward forward) {
        int width = embeddingWidth();
        float[] out = new float[n * width];
        boolean wasTraining = isTraining();
        setTraining(false);
        try {
            for (int from = 0; from < n; from += INFERENCE_BATCH) {
                int to = Math.min(n, from + INFERENCE_BATCH);
                float[] rows = forward.embed(from, to).data();
                System.arraycopy(rows, 0, out, from * width, (to - from) * width);
            }
        } finally {
            setTraining(wasTraining);
        }
        return out;
    }
}
