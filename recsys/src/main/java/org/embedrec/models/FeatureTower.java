package org.embedrec.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.TowerInput;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * A tower over any features, as a TensorFlow Recommenders user writes one in Keras: each
 * categorical input is an embedding lookup, each bag (text, list) the masked mean (or sum) of
 * its entries' embeddings (or, with {@code "pooling": "gru"} or {@code "attention"}, read in order
 * by {@link OrderedBagReader}: a sequential query tower over a history of items), each number fed
 * as one float; the parts are concatenated and go
 * through the tower's dense layers (relu on all but the last), or come out as they are when the
 * tower has none. Parameters live under {@code <name>/<input>_embedding/embeddings} and
 * {@code <name>/dense_layers/...}. With {@code l2 > 0} the tower also gives a lazy L2 penalty
 * while training: {@code l2} times the squared norms of the embeddings it looked up for the batch
 * (a bag's pooled vector counts once), so a row is shrunk in proportion to how often it is used,
 * as in SGD-trained matrix factorisation. With frequency weighting each looked-up row's term is
 * divided by {@code sqrt(n)}, {@code n} the number of training rows its id occurs in
 * ({@link #countIds}; a bag's by the mean over its ids), so that over an epoch a row is shrunk in
 * proportion to {@code sqrt(n)} rather than {@code n}: the weighted trace norm of Srebro and
 * Salakhutdinov, "Collaborative filtering in a non-uniform world" (NIPS 2010), which penalises
 * frequent rows less than plain lazy L2 and rare rows more.
 */
public final class FeatureTower extends Module {
    private final List<TowerInput> inputs;
    private final List<Embedding> tables = new ArrayList<>();
    /** Per input, what reads its bag in order ({@link TowerInput#ordered()}), or null. */
    private final List<OrderedBagReader> ordered = new ArrayList<>();
    private final Sequential dense;
    private final int outputDim;
    private final float l2;
    private final boolean frequencyWeighted;
    /** {@code 1 / sqrt(count)} per id of each embedded input, for frequency-weighted L2; null until counted. */
    private float[][] rowWeights;

    /**
     * The tower's output and its L2 penalty (a scalar; zero without L2). The penalty is computed
     * when first asked for, so that a model asks after its prediction: recorded later, its ops run
     * first in backward and hand their gradient buffers to the looked-up rows, which the
     * prediction's gradient then adds into, rather than allocating a second buffer for each.
     */
    public static final class Embedded {
        private final Tensor output;
        private Supplier<Tensor> pending;
        private Tensor penalty;

        Embedded(Tensor output, Supplier<Tensor> penalty) {
            this.output = output;
            this.pending = penalty;
        }

        public Tensor output() {
            return output;
        }

        public Tensor penalty() {
            if (pending != null) {
                penalty = pending.get();
                pending = null;
            }
            return penalty;
        }
    }

    /** A tower for {@code inputs} (in the order the encoder gives them) and dense {@code layers}, weights from {@code rng}. */
    public FeatureTower(String name, List<TowerInput> inputs, List<Integer> layers, Rng rng) {
        this(name, inputs, layers, 0f, rng);
    }

    /** As the other constructor, with lazy L2 strength {@code l2 >= 0} on the embeddings looked up. */
    public FeatureTower(String name, List<TowerInput> inputs, List<Integer> layers, float l2, Rng rng) {
        this(name, inputs, layers, l2, false, rng);
    }

    /**
     * As the other constructors; with {@code frequencyWeighted} each row's L2 term is divided by
     * the square root of its id's training count, which {@link #countIds} must give before training.
     */
    public FeatureTower(String name, List<TowerInput> inputs, List<Integer> layers, float l2,
                        boolean frequencyWeighted, Rng rng) {
        super(name);
        if (!(l2 >= 0f) || Float.isInfinite(l2)) {
            throw new IllegalArgumentException("tower '" + name + "': l2 " + l2 + ", expected a finite number >= 0");
        }
        this.l2 = l2;
        this.frequencyWeighted = frequencyWeighted;
        this.inputs = List.copyOf(inputs);
        if (this.inputs.isEmpty()) {
            throw new IllegalArgumentException("tower '" + name + "' has no inputs; give it at least one feature");
        }
        Objects.requireNonNull(rng, "rng");
        int width = 0;
        for (TowerInput in : this.inputs) {
            tables.add(in.isValue() ? null : addChild(table(in, rng)));
            ordered.add(in.ordered() ? addChild(OrderedBagReader.of(in, rng)) : null);
            width += in.width();
        }
        this.dense = layers.isEmpty() ? null : addChild(TowerLayers.build(width, layers, rng));
        this.outputDim = layers.isEmpty() ? width : layers.get(layers.size() - 1);
    }

    private static Embedding table(TowerInput in, Rng rng) {
        Embedding.Builder b = Embedding.builder(in.vocabularySize(), in.embeddingDim()).name(in.name() + "_embedding");
        if (in.initStddev() > 0) {
            b.initializer(Initializer.normal(in.initStddev()));
        }
        return b.build(rng);
    }

    /** The tower's embeddings {@code [n, outputDim]} of encoded rows, on the gradient tape when one is open. */
    public Tensor embed(EncodedFeatures features) {
        return embedWithPenalty(features, 0f).output();
    }

    /**
     * The tower's embeddings with the L2 penalty of the rows they looked up (zero outside
     * training, and without L2), on the tape when one is open.
     */
    public Embedded embedWithPenalty(EncodedFeatures features) {
        return embedWithPenalty(features, 1f);
    }

    /**
     * As {@link #embedWithPenalty(EncodedFeatures)}, the penalty times {@code scale} (the
     * {@code 1 / batch size} that averages it), folded into the one product the penalty takes.
     */
    public Embedded embedWithPenalty(EncodedFeatures features, float scale) {
        List<EncodedFeatures.Input> given = features.inputs();
        if (given.size() != inputs.size()) {
            throw new IllegalArgumentException("tower '" + name() + "': " + given.size() + " inputs given, expected "
                    + inputs.size() + " " + names());
        }
        int n = features.size();
        Tensor[] parts = new Tensor[inputs.size()];
        for (int k = 0; k < parts.length; k++) {
            TowerInput expected = inputs.get(k);
            EncodedFeatures.Input in = given.get(k);
            if (!in.name().equals(expected.name()) || expected.isValue() != (in instanceof EncodedFeatures.Values)) {
                throw new IllegalArgumentException("tower '" + name() + "': input " + k + " is '" + in.name()
                        + "', expected '" + expected.name() + "' " + names());
            }
            if (ordered.get(k) != null && in instanceof EncodedFeatures.Ids ids) {
                parts[k] = ordered.get(k).read(tables.get(k), ids, n);
            } else {
                parts[k] = in instanceof EncodedFeatures.Ids ids ? lookup(tables.get(k), ids, expected.sumPooling())
                        : Tensor.wrap(((EncodedFeatures.Values) in).values(), n, 1);
            }
        }
        Tensor joined = parts.length == 1 ? parts[0] : Ops.concat(-1, parts);
        Tensor output = dense == null ? joined : dense.apply(joined);
        if (!(l2 > 0 && scale != 0f && isTraining())) {
            return new Embedded(output, () -> Tensor.scalar(0f));
        }
        float strength = l2 * scale;
        return new Embedded(output, () -> penalty(given, parts, n, strength));
    }

    /**
     * {@code strength} times the (frequency-weighted) squared norms of the looked-up parts; with
     * weights the strength goes into them, so a part costs a square, a product and a sum.
     */
    private Tensor penalty(List<EncodedFeatures.Input> given, Tensor[] parts, int n, float strength) {
        if (frequencyWeighted && rowWeights == null) {
            throw notCounted();
        }
        Tensor penalty = null;
        for (int k = 0; k < parts.length; k++) {
            if (inputs.get(k).isValue()) {
                continue;
            }
            Tensor squares = Ops.square(parts[k]);
            if (frequencyWeighted) {
                EncodedFeatures.Ids ids = (EncodedFeatures.Ids) given.get(k);
                squares = Ops.mul(squares, Tensor.wrap(rowWeightsOf(ids.ids(), ids.width(), ids.bag(), ids.padId(),
                        rowWeights[k], n, strength), n, 1));
            }
            Tensor sum = Ops.sum(squares);
            penalty = penalty == null ? sum : Ops.add(penalty, sum);
        }
        if (penalty == null) {
            return Tensor.scalar(0f);
        }
        return frequencyWeighted ? penalty : Ops.scale(penalty, strength);
    }

    /**
     * Each of {@code n} rows' weight times {@code strength}: its id's, or the mean of its bag's ids'
     * (0 for an empty bag), from {@code ids} {@code width} per row.
     */
    private static float[] rowWeightsOf(int[] ids, int width, boolean bag, int padId, float[] weights, int n,
                                        float strength) {
        float[] w = new float[n];
        for (int r = 0; r < n; r++) {
            float sum = 0f;
            int count = 0;
            for (int j = 0; j < width; j++) {
                int id = ids[r * width + j];
                if (!bag || id != padId) {
                    sum += weights[id];
                    count++;
                }
            }
            w[r] = count == 0 ? 0f : strength * sum / count;
        }
        return w;
    }

    /**
     * The table of this tower's one input when the tower is that lookup and nothing more (no dense
     * layers, not read in order; one id per row is the caller's to check), with an L2 term
     * {@link #l2Weights} can give; null otherwise.
     */
    Embedding plainLookupTable() {
        if (inputs.size() != 1 || dense != null || ordered.get(0) != null || inputs.get(0).isValue()
                || l2 > 0 && !frequencyWeighted) {
            return null;
        }
        return tables.get(0);
    }

    /**
     * For a {@link #plainLookupTable} tower, the weights of its L2 term over {@code n} rows of
     * {@code ids} at {@code scale}, the row weights {@link #embedWithPenalty} multiplies the squares
     * by (the same floats); null when the tower adds no term (no L2, {@code scale} 0, or not training).
     */
    float[] l2Weights(int[] ids, int n, float scale) {
        if (!(l2 > 0 && scale != 0f && isTraining())) {
            return null;
        }
        if (rowWeights == null) {
            throw notCounted();
        }
        return rowWeightsOf(ids, 1, false, -1, rowWeights[0], n, l2 * scale);
    }

    private IllegalStateException notCounted() {
        return new IllegalStateException("tower '" + name() + "': frequency-weighted L2 needs the ids' training "
                + "counts; call countIds with the training rows first (FeatureTask does)");
    }

    /**
     * Counts how often each id of each embedded input occurs in {@code rows} (the training rows'
     * features; {@code multiplicity[r]} times for row {@code r}, or once when null), for
     * frequency-weighted L2; an id never seen counts as seen once. A no-op without frequency
     * weighting.
     */
    public void countIds(EncodedFeatures rows, int[] multiplicity) {
        if (!frequencyWeighted) {
            return;
        }
        List<EncodedFeatures.Input> given = rows.inputs();
        float[][] weights = new float[inputs.size()][];
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k).isValue()) {
                continue;
            }
            EncodedFeatures.Ids ids = (EncodedFeatures.Ids) given.get(k);
            long[] counts = new long[inputs.get(k).vocabularySize()];
            for (int r = 0; r < rows.size(); r++) {
                int times = multiplicity == null ? 1 : multiplicity[r];
                for (int j = 0; j < ids.width(); j++) {
                    int id = ids.ids()[r * ids.width() + j];
                    if (!ids.bag() || id != ids.padId()) {
                        counts[id] += times;
                    }
                }
            }
            weights[k] = new float[counts.length];
            for (int id = 0; id < counts.length; id++) {
                weights[k][id] = (float) (1.0 / Math.sqrt(Math.max(1, counts[id])));
            }
        }
        rowWeights = weights;
    }

    private static Tensor lookup(Embedding table, EncodedFeatures.Ids ids, boolean sum) {
        return lookup(table, ids.ids(), ids.width(), ids.padId(), ids.bag(), sum);
    }

    /**
     * Rows of {@code table} for ids {@code width} per row: the row itself, or for a bag the mean
     * (or the sum, when {@code sum}) of its ids' rows other than {@code padId}.
     */
    static Tensor lookup(Embedding table, int[] ids, int width, int padId, boolean bag, boolean sum) {
        if (!bag) {
            return table.lookup(ids);
        }
        Tensor mean = Ops.gatherMean(table.embeddings().value(), ids, width, padId);
        if (!sum) {
            return mean;
        }
        // A bag's sum is its mean times its number of entries (an empty bag's mean is zero).
        int bags = ids.length / width;
        float[] counts = new float[bags];
        for (int b = 0; b < bags; b++) {
            for (int j = 0; j < width; j++) {
                if (ids[b * width + j] != padId) {
                    counts[b]++;
                }
            }
        }
        return Ops.mul(mean, Tensor.wrap(counts, bags, 1));
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        for (TowerInput in : inputs) {
            out.add(in.name());
        }
        return out;
    }

    /** The inputs this tower reads, in order. */
    public List<TowerInput> inputs() {
        return inputs;
    }

    /** The lazy L2 strength on the embeddings looked up. */
    public float l2() {
        return l2;
    }

    /** The width of the embeddings this tower outputs. */
    public int outputDim() {
        return outputDim;
    }

}
