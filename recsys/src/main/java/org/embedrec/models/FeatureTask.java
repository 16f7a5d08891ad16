package org.embedrec.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.train.Dataset;
import org.embedrec.nn.train.TrainingTask;

/**
 * What the {@link org.embedrec.nn.train.Trainer} runs to train a {@link FeatureModel}: the
 * model's loss on a batch, with each item's sampling probability for log-q correction taken
 * from its frequency in the training rows, {@code p_j = (count_j + 1) / (n + C)} (smoothed so
 * an item never trained on keeps a finite correction); and the model's metrics with the mean
 * loss over held-out rows, in batches of {@code evaluationBatchSize}. A BPR model's rows that
 * bring no negative get one drawn uniformly from the catalogue, from a stream of the seed (the
 * evaluation draws from its own stream, restarted each time, so validating does not change
 * what training draws). Towers with frequency-weighted L2 get the training rows' id counts here
 * ({@link FeatureModel#countIds}).
 *
 * <p>With {@code sampledNegatives} N &gt; 0 each training batch also draws N distinct catalogue
 * items, shared by its rows, by a partial Fisher-Yates shuffle of a pool kept from batch to batch
 * (O(N) a draw, one sequence per seed: the draws of the hand-written two-tower model, bit for
 * bit); evaluation draws none, but log-q correction still counts them (see
 * {@link FeatureModel#computeLoss(FeatureBatch, org.embedrec.features.EncodedFeatures, double[], int[], int)}).
 */
public final class FeatureTask implements TrainingTask<FeatureBatch> {
    private static final long NEGATIVES_STREAM = 0x4250524E45474154L;
    private static final long EVALUATION_STREAM = 0x4556414C4E454753L;
    /** The stream the two-tower preset has always drawn its sampled negatives from. */
    private static final long SAMPLED_NEGATIVES_STREAM = 0x4E45474154495645L;

    private final FeatureModel model;
    private final FeatureExamples train;
    private final double[] frequency;
    private final int evaluationBatchSize;
    private final long seed;
    private final Rng negativeRng;
    private final int sampledNegatives;
    /** The catalogue rows in the order the last draw of sampled negatives left them; empty without them. */
    private final int[] negativePool;

    public FeatureTask(FeatureModel model, FeatureExamples train, int evaluationBatchSize) {
        this(model, train, evaluationBatchSize, 0L);
    }

    /** As the other constructor, drawing BPR negatives from a stream of {@code seed}. */
    public FeatureTask(FeatureModel model, FeatureExamples train, int evaluationBatchSize, long seed) {
        this(model, train, evaluationBatchSize, seed, 0);
    }

    /**
     * As the other constructors, each training batch drawing {@code sampledNegatives} catalogue
     * items (0: none) from a stream of {@code seed}.
     */
    public FeatureTask(FeatureModel model, FeatureExamples train, int evaluationBatchSize, long seed,
                       int sampledNegatives) {
        this.model = Objects.requireNonNull(model, "model");
        this.train = Objects.requireNonNull(train, "train");
        if (evaluationBatchSize < 1) {
            throw new IllegalArgumentException("evaluationBatchSize " + evaluationBatchSize + ", expected >= 1");
        }
        int catalogueSize = train.catalogue().size();
        if (sampledNegatives < 0 || sampledNegatives > catalogueSize) {
            throw new IllegalArgumentException("tasks.retrieval.sampled_negatives " + sampledNegatives + ": expected 0 "
                    + "to the catalogue's " + catalogueSize + " items (negatives are drawn without replacement)");
        }
        if (sampledNegatives > 0 && (model.retrieval() == null)) {
            throw new IllegalArgumentException("tasks.retrieval.sampled_negatives extends the in-batch softmax; this "
                    + "model has none");
        }
        this.evaluationBatchSize = evaluationBatchSize;
        this.seed = seed;
        this.sampledNegatives = sampledNegatives;
        // BPR draws and sampled negatives never come together, so the two share the field and the checkpoint key.
        this.negativeRng = new Rng(seed ^ (sampledNegatives > 0 ? SAMPLED_NEGATIVES_STREAM : NEGATIVES_STREAM));
        this.negativePool = new int[sampledNegatives > 0 ? catalogueSize : 0];
        for (int j = 0; j < negativePool.length; j++) {
            negativePool[j] = j;
        }
        model.countIds(train);
        int[] counts = train.itemCounts();
        double total = train.size() + (double) counts.length;
        frequency = new double[counts.length];
        for (int j = 0; j < counts.length; j++) {
            frequency[j] = (counts[j] + 1) / total;
        }
    }

    @Override
    public FeatureModel model() {
        return model;
    }

    @Override
    public Tensor loss(FeatureBatch batch) {
        if (sampledNegatives > 0) {
            return model.computeLoss(batch, train.catalogue(), frequency, drawSampledNegatives(), sampledNegatives);
        }
        return loss(batch, negativeRng);
    }

    /** {@code sampledNegatives} distinct catalogue rows: the first N of the pool after a partial shuffle. */
    private int[] drawSampledNegatives() {
        int c = negativePool.length;
        int[] out = new int[sampledNegatives];
        for (int k = 0; k < sampledNegatives; k++) {
            int j = k + negativeRng.nextInt(c - k);
            int t = negativePool[k];
            negativePool[k] = negativePool[j];
            negativePool[j] = t;
            out[k] = negativePool[k];
        }
        return out;
    }

    /** The loss without sampled negatives (but counting them in log-q), a BPR row's missing negative drawn from {@code rng}. */
    private Tensor loss(FeatureBatch batch, Rng rng) {
        if (model.bpr() && batch.negatives() == null) {
            int[] drawn = new int[batch.size()];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = rng.nextInt(frequency.length);
            }
            batch = batch.withNegatives(drawn, 1);
        }
        return model.computeLoss(batch, train.catalogue(), frequency, null, sampledNegatives);
    }

    /**
     * The stream of drawn negatives, and with sampled negatives the pool's order, which the next
     * draw starts from; the evaluation stream restarts each time and needs no saving.
     */
    @Override
    public void saveState(String prefix, TrainingState out) {
        out.putRng(prefix + "negatives", negativeRng);
        if (sampledNegatives > 0) {
            out.putInts(prefix + "negative_pool", negativePool);
        }
    }

    @Override
    public void restoreState(String prefix, TrainingState in) {
        int[] pool = sampledNegatives > 0 ? in.ints(prefix + "negative_pool", negativePool.length) : null;
        in.restoreRng(prefix + "negatives", negativeRng);
        if (pool != null) {
            System.arraycopy(pool, 0, negativePool, 0, pool.length);
        }
    }

    @Override
    public Map<String, Double> evaluate(Dataset<FeatureBatch> data) {
        if (!(data instanceof FeatureExamples rows)) {
            throw new IllegalArgumentException("a feature task evaluates FeatureExamples, got " + data.getClass().getName());
        }
        if (rows.catalogue() != train.catalogue()) {
            throw new IllegalArgumentException("the evaluated rows index another catalogue than the training rows");
        }
        int n = rows.size();
        if (n == 0) {
            throw new IllegalArgumentException("cannot evaluate on empty data");
        }
        if (!model.retrieves() && rows.labels() != null && rows.weights() == null) {
            return ratingMetrics(rows);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Rng rng = new Rng(seed ^ EVALUATION_STREAM);
        double lossSum = 0;
        boolean wasTraining = model.isTraining();
        model.setTraining(false);
        try {
            for (int from = 0; from < n; from += evaluationBatchSize) {
                int to = Math.min(n, from + evaluationBatchSize);
                lossSum += (double) loss(rows.batch(order, from, to), rng).item() * (to - from);
            }
        } finally {
            model.setTraining(wasTraining);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", lossSum / n);
        metrics.putAll(model.metrics(rows));
        return metrics;
    }

    /**
     * A model that only rates, on unweighted rows: the mean loss and the metrics from one pass
     * of predictions (the batches' mean losses, weighted by their sizes, are the same mean).
     */
    private Map<String, Double> ratingMetrics(FeatureExamples rows) {
        float[] predictions = model.predictRatings(rows.queries(), rows.items(), rows.catalogue());
        int n = predictions.length;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", (double) model.ranking().loss(Tensor.wrap(predictions, n), Tensor.wrap(rows.labels(), n))
                .item());
        metrics.putAll(model.ranking().metrics(predictions, rows.labels()).asMap());
        return metrics;
    }
}
