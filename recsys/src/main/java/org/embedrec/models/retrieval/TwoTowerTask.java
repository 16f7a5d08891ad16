package org.embedrec.models.retrieval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.TrainingState;
import org.embedrec.features.CandidateInputs;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.tasks.Retrieval;
import org.embedrec.nn.train.Dataset;
import org.embedrec.nn.train.TrainingTask;

/**
 * What {@link org.embedrec.nn.train.Trainer} runs to train a {@link TwoTowerModel}, as
 * TensorFlow Recommenders' {@code compute_loss} and validation do in the tutorial.
 *
 * <p><b>Loss</b>: the model's {@link Retrieval} task over the batch's own candidates and, with
 * {@link TwoTowerConfig#sampledNegatives()} {@code = N > 0}, N more catalogue items drawn
 * uniformly without replacement and shared by the batch. With log-q correction, candidate j's
 * sampling probability is that of one draw from the mixture of the batch's B positives and the
 * N uniform negatives over a catalogue of C items (Yang et al. 2020, mixed negative sampling):
 * {@code q_j = (B p_j + N / C) / (B + N)}, the same whichever way j entered the logits, where
 * {@code p_j = (count_j + 1) / (n + C)} is its frequency among the n training pairs, smoothed so
 * that an item never trained on keeps a finite correction. Without sampled negatives
 * {@code q_j = p_j}, the plain frequency correction of Yi et al. 2019.
 *
 * <p><b>Evaluate</b>: {@code "loss"}, the same loss on the data's pairs in batches of the
 * training batch size (no sampled negatives), averaged as the trainer averages training
 * losses; and {@link FactorizedTopK} accuracies at 1, 5, 10, 50 and 100 of every pair's item
 * against the whole catalogue, keyed {@code top_K_accuracy}, with NDCG@K ({@code ndcg_at_K})
 * and the mean reciprocal rank ({@code mrr}) of the same ranking.
 */
public final class TwoTowerTask implements TrainingTask<RetrievalBatch> {
    private static final long NEGATIVES_STREAM = 0x4E45474154495645L;

    private final TwoTowerModel model;
    private final CandidateCatalogue catalogue;
    private final double[] frequency;
    private final int negatives;
    private final int[] negativePool;
    private final Rng negativeRng;
    private final int evaluationBatchSize;
    private final FactorizedTopK topK = new FactorizedTopK(FactorizedTopK.DEFAULT_KS);

    /** The task of {@code model} (settings from its config), candidate frequencies from {@code train}. */
    public TwoTowerTask(TwoTowerModel model, RetrievalExamples train) {
        this.model = Objects.requireNonNull(model, "model");
        Objects.requireNonNull(train, "train");
        TwoTowerConfig config = model.config();
        this.catalogue = train.catalogue();
        int c = catalogue.size();
        this.negatives = config.sampledNegatives();
        if (negatives > c) {
            throw new IllegalArgumentException("sampledNegatives " + negatives + " exceeds the catalogue's " + c
                    + " items (negatives are drawn without replacement)");
        }
        if (config.logQCorrection()) {
            int[] counts = train.itemCounts();
            double total = train.size() + (double) c;
            frequency = new double[c];
            for (int j = 0; j < c; j++) {
                frequency[j] = (counts[j] + 1) / total;
            }
        } else {
            frequency = null;
        }
        this.negativePool = new int[c];
        for (int j = 0; j < c; j++) {
            negativePool[j] = j;
        }
        this.negativeRng = new Rng(config.seed() ^ NEGATIVES_STREAM);
        this.evaluationBatchSize = config.batchSize();
    }

    @Override
    public TwoTowerModel model() {
        return model;
    }

    @Override
    public Tensor loss(RetrievalBatch batch) {
        int b = batch.size();
        float[] candidateLogQ = logQ(batch.candidateIds(), b);
        if (negatives == 0) {
            return model.computeLoss(batch, candidateLogQ);
        }
        int[] sampled = sampleNegatives();
        CandidateInputs inputs = catalogue.inputs().rows(sampled, 0, sampled.length);
        return model.computeLoss(batch, candidateLogQ, inputs, sampled, logQ(sampled, b));
    }

    /** The stream of sampled negatives and the pool's order, which the next draw starts from. */
    @Override
    public void saveState(String prefix, TrainingState out) {
        out.putRng(prefix + "negatives", negativeRng);
        out.putInts(prefix + "negative_pool", negativePool);
    }

    @Override
    public void restoreState(String prefix, TrainingState in) {
        int[] pool = in.ints(prefix + "negative_pool", negativePool.length);
        in.restoreRng(prefix + "negatives", negativeRng);
        System.arraycopy(pool, 0, negativePool, 0, pool.length);
    }

    /**
     * {@code negatives} distinct catalogue rows: a partial Fisher-Yates shuffle of a pool kept
     * from batch to batch, so each draw costs O(N) and one seed gives one sequence of draws.
     */
    private int[] sampleNegatives() {
        int c = negativePool.length;
        int[] out = new int[negatives];
        for (int k = 0; k < negatives; k++) {
            int j = k + negativeRng.nextInt(c - k);
            int t = negativePool[k];
            negativePool[k] = negativePool[j];
            negativePool[j] = t;
            out[k] = negativePool[k];
        }
        return out;
    }

    /** {@code log q_j} of each of {@code ids} for a batch of {@code batchSize} pairs; null without correction. */
    private float[] logQ(int[] ids, int batchSize) {
        if (frequency == null) {
            return null;
        }
        double uniform = (double) negatives / frequency.length;
        double draws = batchSize + (double) negatives;
        float[] out = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            // min(0, .): rounding must not turn a probability of 1 into a positive log.
            out[i] = (float) Math.min(0.0, Math.log((batchSize * frequency[ids[i]] + uniform) / draws));
        }
        return out;
    }

    @Override
    public Map<String, Double> evaluate(Dataset<RetrievalBatch> data) {
        int n = data.size();
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on empty data");
        }
        if (data instanceof RetrievalExamples pairs && pairs.catalogue() != catalogue) {
            throw new IllegalArgumentException("the evaluated pairs index another catalogue than the training pairs");
        }
        int width = model.embeddingWidth();
        float[] queries = new float[n * width];
        int[] truth = new int[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        float[] candidates;
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try {
            for (int from = 0; from < n; from += evaluationBatchSize) {
                int to = Math.min(n, from + evaluationBatchSize);
                RetrievalBatch batch = data.batch(order, from, to);
                Tensor q = model.queryEmbeddings(batch.queries());
                Tensor loss = model.computeLoss(q, batch, logQ(batch.candidateIds(), to - from), null, null, null);
                lossSum += (double) loss.item() * (to - from);
                System.arraycopy(q.data(), 0, queries, from * width, (to - from) * width);
                System.arraycopy(batch.candidateIds(), 0, truth, from, to - from);
            }
            candidates = model.embedCatalogue(catalogue);
        } finally {
            model.setTraining(wasTraining);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / n);
        metrics.putAll(topK.computeWithRanks(queries, n, candidates, catalogue.size(), width, truth));
        return metrics;
    }
}
