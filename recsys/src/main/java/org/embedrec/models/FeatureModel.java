package org.embedrec.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.nn.Module;
import org.embedrec.tasks.Bpr;
import org.embedrec.tasks.DistinctCandidates;
import org.embedrec.tasks.Ranking;
import org.embedrec.tasks.Retrieval;

/**
 * Towers plus tasks over any features, the shape of a {@code tfrs.Model}: a query tower and a
 * candidate tower ({@link FeatureTower}), a retrieval task on their dot products (the in-batch
 * softmax, with hard negatives when the rows give them, or {@link Bpr}) and/or a
 * rating head with its {@link Ranking} task, and the weights of the two losses. {@link RetrievalModel},
 * {@link RankingModel} and {@link MultiTaskModel} are its three shapes; {@link FeatureTask}
 * trains any of them with the {@link org.embedrec.nn.train.Trainer}.
 *
 * <p>The loss of a batch is {@code retrievalWeight * retrieval + ratingWeight * rating}: the
 * retrieval loss is the in-batch softmax summed over the batch (as {@code tfrs.tasks.Retrieval});
 * the rating loss the {@link Ranking} task's (mean squared error, or binary cross-entropy of the
 * head's logit) averaged over the batch. Rows are weighted by their example weights when the data
 * has them. A rating model may also have a wide part ({@link SparseLinear}), whose output is added
 * to the head's prediction.
 *
 * <p>For pre-training the wide part ({@link #setRatingPhase}): {@link RatingPhase#WIDE_ONLY}
 * predicts the head's output bias (held fixed) plus the wide part, so only the wide weights
 * learn; {@link RatingPhase#OVER_FIXED_WIDE} predicts the head plus the wide part held fixed, so
 * the rest learns the wide part's residual.
 */
public abstract class FeatureModel extends Module {
    /** Rows per forward pass when embedding many queries or candidates in inference mode. */
    private static final int INFERENCE_BATCH = 4096;

    private final FeatureTower queryTower;
    private final FeatureTower candidateTower;
    private final Retrieval retrieval;
    private final boolean bpr;
    private final double retrievalWeight;
    private final RatingHead ratingHead;
    private final Ranking ranking;
    private final double ratingWeight;
    private final SparseLinear wide;
    /** The fused loss when the model is plain biased matrix factorisation, else null. */
    private final FactorizationLoss factorization;
    /** Whether {@link #factorization} is used; off only in tests that hold it to the op graph. */
    private boolean fuseFactorization = true;
    private RatingPhase phase = RatingPhase.JOINT;
    private final FactorizedTopK topK = new FactorizedTopK(FactorizedTopK.DEFAULT_KS);

    /** Which parts of a rating model with a wide part a training step fits. */
    public enum RatingPhase {
        /** Every part. */
        JOINT,
        /** The wide part alone, over the head's output bias. */
        WIDE_ONLY,
        /** Everything but the wide part, over the wide part's output. */
        OVER_FIXED_WIDE
    }

    /**
     * A model of these towers and tasks: {@code retrieval} (the in-batch softmax) or {@code bpr},
     * or neither; a rating head with its {@code ranking} task, or neither; a wide part added to
     * the head's prediction, or none.
     */
    FeatureModel(String name, FeatureTower queryTower, FeatureTower candidateTower, Retrieval retrieval, boolean bpr,
                 double retrievalWeight, RatingHead ratingHead, Ranking ranking, double ratingWeight,
                 SparseLinear wide) {
        super(name);
        this.queryTower = addChild(Objects.requireNonNull(queryTower, "queryTower"));
        this.candidateTower = addChild(Objects.requireNonNull(candidateTower, "candidateTower"));
        if (queryTower.name().equals(candidateTower.name())) {
            throw new IllegalArgumentException("the query and candidate towers are both named '" + queryTower.name()
                    + "'; give them distinct names so their parameters have distinct paths");
        }
        if (bpr && retrieval != null) {
            throw new IllegalArgumentException("a retrieval task is either the in-batch softmax or BPR, not both");
        }
        if ((retrieval != null || bpr) && queryTower.outputDim() != candidateTower.outputDim()) {
            throw new IllegalArgumentException("retrieval scores q . c, but the query tower outputs "
                    + queryTower.outputDim() + " columns and the candidate tower " + candidateTower.outputDim()
                    + "; make their last layers the same width");
        }
        checkWeight("retrieval", retrieval != null || bpr, retrievalWeight);
        if ((ratingHead == null) != (ranking == null)) {
            throw new IllegalArgumentException("a rating head needs a ranking task and a ranking task a head; got "
                    + (ratingHead == null ? "no head" : "a head") + " and " + (ranking == null ? "no task" : "a task"));
        }
        checkWeight("rating", ratingHead != null, ratingWeight);
        this.retrieval = retrieval;
        this.bpr = bpr;
        this.retrievalWeight = retrievalWeight;
        this.ratingHead = ratingHead == null ? null : addChild(ratingHead);
        this.ranking = ranking;
        this.ratingWeight = ratingWeight;
        if (wide != null && ratingHead == null) {
            throw new IllegalArgumentException("a wide part adds to the rating head's prediction; this model has no "
                    + "rating head");
        }
        this.wide = wide == null ? null : addChild(wide);
        this.factorization = retrieval != null || bpr ? null
                : FactorizationLoss.of(queryTower, candidateTower, ratingHead, ranking, ratingWeight, wide);
    }

    private static void checkWeight(String task, boolean present, double weight) {
        if (present && !(weight >= 0 && Double.isFinite(weight))) {
            throw new IllegalArgumentException(task + " loss weight " + weight + ", expected a finite number >= 0");
        }
    }

    public FeatureTower queryTower() {
        return queryTower;
    }

    public FeatureTower candidateTower() {
        return candidateTower;
    }

    /** The in-batch softmax retrieval task, or null when the model only rates or retrieves by BPR. */
    public Retrieval retrieval() {
        return retrieval;
    }

    /** True when the retrieval loss is BPR against one negative per row. */
    public boolean bpr() {
        return bpr;
    }

    /** True when the model is trained to retrieve (by the softmax or by BPR). */
    public boolean retrieves() {
        return retrieval != null || bpr;
    }

    /** The rating head, or null when the model only retrieves. */
    public RatingHead ratingHead() {
        return ratingHead;
    }

    /** The rating task, or null when the model only retrieves. */
    public Ranking ranking() {
        return ranking;
    }

    /** The wide part added to the rating head's prediction, or null. */
    public SparseLinear wide() {
        return wide;
    }

    /** True when the rating loss is computed by the fused matrix factorisation op ({@link FactorizationLoss}). */
    boolean fusesFactorization() {
        return factorization != null && fuseFactorization;
    }

    /** Turns the fused loss of a matrix factorisation model off (the op graph computes it) or back on. */
    void fuseFactorization(boolean on) {
        fuseFactorization = on;
    }

    /**
     * Which parts training fits: {@link RatingPhase#JOINT} (the default) or, for a model with a
     * wide part and no retrieval task, one of the pre-training phases.
     */
    public void setRatingPhase(RatingPhase value) {
        if (value != RatingPhase.JOINT && (wide == null || retrieves())) {
            throw new IllegalArgumentException("pre-training phase " + value + " needs a rating model with a wide part "
                    + "and no retrieval task");
        }
        phase = Objects.requireNonNull(value, "phase");
    }

    /**
     * Gives the towers the training rows' id counts their frequency-weighted L2 needs (a no-op
     * for towers without it): the query features of every row, and each catalogue item's
     * features as many times as it occurs in the rows.
     */
    public void countIds(FeatureExamples train) {
        queryTower.countIds(train.queries(), null);
        candidateTower.countIds(train.catalogue(), train.itemCounts());
    }

    /**
     * The loss of a batch whose candidates are rows of {@code catalogue}; {@code itemFrequency}
     * gives each catalogue item's sampling probability for log-q correction (null without it).
     */
    public Tensor computeLoss(FeatureBatch batch, EncodedFeatures catalogue, double[] itemFrequency) {
        return computeLoss(batch, catalogue, itemFrequency, null, 0);
    }

    /**
     * As {@link #computeLoss(FeatureBatch, EncodedFeatures, double[])}, the in-batch softmax
     * with the catalogue rows {@code sampled} appended to every row's columns (null: none), which
     * a training batch draws {@code sampledPerBatch} of, uniformly. With log-q correction item
     * j's probability is then that of one draw from the mixture of the batch's B positives and
     * the N uniform draws over C items, {@code q_j = (B p_j + N / C) / (B + N)} (mixed negative
     * sampling, Yang et al. 2020), also when evaluating, where {@code sampled} is null.
     */
    public Tensor computeLoss(FeatureBatch batch, EncodedFeatures catalogue, double[] itemFrequency, int[] sampled,
                              int sampledPerBatch) {
        if (sampled != null && (retrieval == null || batch.negatives() != null)) {
            throw new IllegalArgumentException("sampled negatives extend the in-batch softmax; this "
                    + (retrieval == null ? "model has no softmax retrieval task" : "batch has hard negatives"));
        }
        if (factorization != null && fuseFactorization && phase == RatingPhase.JOINT && sampled == null && batch.weights() == null
                && batch.labels() != null) {
            Tensor fused = factorization.loss(batch, catalogue);
            if (fused != null) {
                return fused;
            }
        }
        // Lazy L2, averaged over the batch like the rating loss it regularises.
        float perRow = phase == RatingPhase.WIDE_ONLY ? 0f : 1f / batch.size();
        FeatureTower.Embedded query = queryTower.embedWithPenalty(batch.queries(), perRow);
        Tensor q = query.output();
        Tensor loss = null;
        if (retrieves() && retrievalWeight > 0) {
            Tensor l;
            if (bpr) {
                l = bprLoss(q, batch, catalogue);
            } else if (batch.negatives() != null) {
                l = hardNegativeLoss(q, batch, catalogue, itemFrequency);
            } else {
                // Each distinct item of the batch goes through the candidate tower once (exact:
                // its embedding depends on the item alone), the loss counts its copies.
                DistinctCandidates columns = DistinctCandidates.of(batch.items(), sampled);
                int[] ids = columns.ids();
                Tensor c = candidateTower.embed(catalogue.rows(ids, 0, ids.length));
                float[] logQ = sampledPerBatch == 0 ? logQ(ids, itemFrequency)
                        : mixtureLogQ(ids, itemFrequency, batch.size(), sampledPerBatch);
                l = batch.weights() == null ? retrieval.loss(q, columns, c, logQ)
                        : retrieval.loss(q, columns, c, logQ, batch.weights());
            }
            loss = weighted(l, retrievalWeight);
        }
        if (ratingHead != null && ratingWeight > 0) {
            Tensor rating = weighted(ratingLoss(q, batch, catalogue), ratingWeight);
            loss = loss == null ? rating : Ops.add(loss, rating);
        }
        if (loss == null) {
            throw new IllegalStateException("every task of the model has loss weight 0; nothing to train");
        }
        if (queryTower.l2() > 0 && perRow > 0 && isTraining()) {
            loss = Ops.add(loss, query.penalty());
        }
        return loss;
    }

    /** Each of {@code ids}' log sampling probability, or null without log-q correction. */
    private float[] logQ(int[] ids, double[] itemFrequency) {
        if (!retrieval.logQCorrection()) {
            return null;
        }
        Objects.requireNonNull(itemFrequency, "itemFrequency (log-q correction is on)");
        float[] out = new float[ids.length];
        for (int u = 0; u < ids.length; u++) {
            out[u] = (float) Math.min(0.0, Math.log(itemFrequency[ids[u]]));
        }
        return out;
    }

    /**
     * Each of {@code ids}' log probability under the mixture of a batch's {@code b} positives and
     * {@code n} uniform draws (see {@link #computeLoss(FeatureBatch, EncodedFeatures, double[], int[], int)}),
     * or null without log-q correction.
     */
    private float[] mixtureLogQ(int[] ids, double[] itemFrequency, int b, int n) {
        if (!retrieval.logQCorrection()) {
            return null;
        }
        Objects.requireNonNull(itemFrequency, "itemFrequency (log-q correction is on)");
        double uniform = (double) n / itemFrequency.length;
        double draws = b + (double) n;
        float[] out = new float[ids.length];
        for (int u = 0; u < ids.length; u++) {
            // min(0, .): rounding must not turn a probability of 1 into a positive log.
            out[u] = (float) Math.min(0.0, Math.log((b * itemFrequency[ids[u]] + uniform) / draws));
        }
        return out;
    }

    /** The in-batch softmax with each row's own hard negatives appended to its logits. */
    private Tensor hardNegativeLoss(Tensor q, FeatureBatch batch, EncodedFeatures catalogue, double[] itemFrequency) {
        int b = batch.size();
        int n = batch.negativesPerRow();
        Tensor c = candidateTower.embed(catalogue.rows(batch.items(), 0, b));
        Tensor negatives = candidateTower.embed(catalogue.rows(batch.negatives(), 0, b * n));
        Tensor hard = Ops.reshape(negatives, b, n, candidateTower.outputDim());
        return retrieval.lossWithHardNegatives(q, c, batch.items(), logQ(batch.items(), itemFrequency), hard,
                batch.negatives(), batch.weights());
    }

    /** BPR of each row's item against the first of its negatives. */
    private Tensor bprLoss(Tensor q, FeatureBatch batch, EncodedFeatures catalogue) {
        if (batch.negatives() == null) {
            throw new IllegalArgumentException("BPR needs a negative item per row; FeatureTask draws them when the "
                    + "data gives none");
        }
        int b = batch.size();
        int[] first = new int[b];
        for (int i = 0; i < b; i++) {
            first[i] = batch.negatives()[i * batch.negativesPerRow()];
        }
        Tensor pos = candidateTower.embed(catalogue.rows(batch.items(), 0, b));
        Tensor neg = candidateTower.embed(catalogue.rows(first, 0, b));
        return batch.weights() == null ? Bpr.loss(q, pos, neg) : Bpr.loss(q, pos, neg, batch.weights());
    }

    private static Tensor weighted(Tensor loss, double weight) {
        return weight == 1.0 ? loss : Ops.scale(loss, (float) weight);
    }

    private Tensor ratingLoss(Tensor q, FeatureBatch batch, EncodedFeatures catalogue) {
        if (batch.labels() == null) {
            throw new IllegalArgumentException("the rating task needs labels, but the data has none; name the label "
                    + "column in the spec's data.label");
        }
        int n = batch.size();
        EncodedFeatures candidateRows = catalogue.rows(batch.items(), 0, n);
        float perRow = phase == RatingPhase.WIDE_ONLY ? 0f : 1f / n;
        FeatureTower.Embedded candidates = candidateTower.embedWithPenalty(candidateRows, perRow);
        Tensor predictions = predict(q, candidates.output(), batch.queries(), candidateRows);
        Tensor targets = Tensor.wrap(batch.labels(), n);
        Tensor loss = batch.weights() == null ? ranking.loss(predictions, targets)
                : ranking.loss(predictions, targets, batch.weights());
        return candidateTower.l2() > 0 && perRow > 0 && isTraining() ? Ops.add(loss, candidates.penalty()) : loss;
    }

    /** The head's prediction plus the wide part's, each held fixed as the phase says. */
    private Tensor predict(Tensor q, Tensor c, EncodedFeatures queries, EncodedFeatures candidates) {
        if (wide == null) {
            return ratingHead.predict(q, c);
        }
        Tensor linear = wide.logit(queries, candidates);
        return switch (phase) {
            case JOINT -> Ops.add(ratingHead.predict(q, c), linear);
            case WIDE_ONLY -> Ops.add(linear, ratingHead.outputBias().detach());
            case OVER_FIXED_WIDE -> Ops.add(ratingHead.predict(q, c), linear.detach());
        };
    }

    /** Query embeddings {@code [n * width]} row-major in inference mode. */
    public float[] embedQueries(EncodedFeatures queries) {
        return inference(queries, queryTower);
    }

    /** Candidate embeddings {@code [n * width]} row-major in inference mode. */
    public float[] embedCandidates(EncodedFeatures candidates) {
        return inference(candidates, candidateTower);
    }

    private float[] inference(EncodedFeatures rows, FeatureTower tower) {
        return inference(rows.size(), tower.outputDim(), (from, to) -> tower.embed(rows.range(from, to)));
    }

    /** The rating head's predictions for rows of query features paired with catalogue items, in inference mode. */
    public float[] predictRatings(EncodedFeatures queries, int[] items, EncodedFeatures catalogue) {
        if (ratingHead == null) {
            throw new IllegalStateException("this model has no rating head; it only retrieves");
        }
        return inference(queries.size(), 1, (from, to) -> {
            EncodedFeatures queryRows = queries.range(from, to);
            EncodedFeatures candidateRows = catalogue.rows(items, from, to);
            return predict(queryTower.embed(queryRows), candidateTower.embed(candidateRows), queryRows, candidateRows);
        });
    }

    /** A forward pass over rows {@code [from, to)}: {@code to - from} rows of the output. */
    @FunctionalInterface
    private interface RowsForward {
        Tensor apply(int from, int to);
    }

    /** {@code forward} over {@code n} rows in batches, in inference mode: {@code [n * width]} row-major. */
    private float[] inference(int n, int width, RowsForward forward) {
        float[] out = new float[n * width];
        boolean wasTraining = isTraining();
        setTraining(false);
        try {
            for (int from = 0; from < n; from += INFERENCE_BATCH) {
                int to = Math.min(n, from + INFERENCE_BATCH);
                System.arraycopy(forward.apply(from, to).data(), 0, out, from * width, (to - from) * width);
            }
        } finally {
            setTraining(wasTraining);
        }
        return out;
    }

    /**
     * The model's metrics on {@code data}: for retrieval, the factorized top-K accuracies,
     * NDCG@K and MRR of each row's item against the whole catalogue; for rating, the
     * {@link Ranking} task's metrics (RMSE and MAE, or AUC, accuracy and log-loss for a binary
     * label). Keys as in {@link FactorizedTopK} and {@link Ranking.Evaluation#asMap}.
     */
    public Map<String, Double> metrics(FeatureExamples data) {
        Map<String, Double> out = new LinkedHashMap<>();
        EncodedFeatures queries = data.queries();
        if (retrieves()) {
            float[] q = embedQueries(queries);
            float[] c = embedCandidates(data.catalogue());
            out.putAll(topK.computeWithRanks(q, data.size(), c, data.catalogue().size(), queryTower.outputDim(),
                    data.items()));
        }
        if (ratingHead != null && data.labels() != null) {
            float[] predictions = predictRatings(queries, data.items(), data.catalogue());
            out.putAll(ranking.metrics(predictions, data.labels()).asMap());
        }
        return out;
    }
}
