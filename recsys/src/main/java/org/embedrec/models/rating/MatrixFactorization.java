package org.embedrec.models.rating;

import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.layers.Embedding;

/**
 * Biased matrix factorisation (Koren, Bell and Volinsky 2009):
 * {@code r(u, i) = mu + b_u + b_i + p_u . q_i}, with {@code mu} the global mean (the
 * {@link #globalBias()}), user and item biases {@code b} and factors {@code p}, {@code q}
 * kept in sparse {@link Embedding} tables.
 *
 * <p>The L2 penalty is lazy, as in SGD-trained MF: each batch adds
 * {@code l2 / B * sum over its examples of (|p_u|^2 + |q_i|^2)}, so a row is shrunk in
 * proportion to how often it is seen and untouched rows cost nothing. Biases are not
 * penalised: on MovieLens 100K penalising them as strongly as the factors costs accuracy.
 *
 * <p>With {@link Weighting#SQRT_FREQUENCY} each row's term is divided by the square root of how
 * often its user or item occurs in the training data, {@code n_u} and {@code n_i}:
 * {@code l2 / B * sum over the batch of (|p_u|^2 / sqrt(n_u) + |q_i|^2 / sqrt(n_i))}. Over an
 * epoch a row is then shrunk in proportion to {@code sqrt(n)} rather than {@code n}, the
 * weighted trace norm of Srebro and Salakhutdinov, "Collaborative filtering in a non-uniform
 * world: learning with the weighted trace norm" (NIPS 2010), which penalises frequent rows less
 * than plain lazy L2 and rare rows more. The counts come from {@link #adaptRowCounts}, which
 * {@link RatingTraining#fit} calls with the training data; a row absent from
 * it counts as seen once.
 */
public final class MatrixFactorization extends RatingModel {
    /** How the lazy L2 term of a looked-up row is weighted. */
    public enum Weighting {
        /** Every lookup costs {@code l2 |row|^2}: a row is shrunk in proportion to its count. */
        UNIFORM,
        /** A lookup costs {@code l2 |row|^2 / sqrt(count)}: the weighted trace norm. */
        SQRT_FREQUENCY
    }

    private final int dim;
    private final float l2;
    private final Weighting weighting;
    /** {@code 1 / sqrt(n)} per user and item row, for {@link Weighting#SQRT_FREQUENCY}; null until adapted. */
    private float[] userRowWeights;
    private float[] itemRowWeights;
    private final Embedding userFactors;
    private final Embedding itemFactors;
    private final Embedding userBias;
    private final Embedding itemBias;

    /**
     * @param dim factor dimension
     * @param l2 lazy L2 strength, {@code >= 0}
     * @param initStddev standard deviation of the initial factors
     */
    public MatrixFactorization(RatingFeatureSpec spec, int dim, float l2, float initStddev, Rng rng) {
        this(spec, dim, l2, Weighting.UNIFORM, initStddev, rng);
    }

    /**
     * @param dim factor dimension
     * @param l2 lazy L2 strength, {@code >= 0}
     * @param weighting how each looked-up row's L2 term is weighted
     * @param initStddev standard deviation of the initial factors
     */
    public MatrixFactorization(RatingFeatureSpec spec, int dim, float l2, Weighting weighting, float initStddev,
                               Rng rng) {
        super("mf", spec);
        this.weighting = Objects.requireNonNull(weighting, "weighting");
        if (dim <= 0) {
            throw new IllegalArgumentException("mf: dim must be at least 1, got " + dim);
        }
        if (!(l2 >= 0f) || Float.isInfinite(l2)) {
            throw new IllegalArgumentException("mf: l2 must be finite and >= 0, got " + l2);
        }
        if (!(initStddev >= 0f) || Float.isInfinite(initStddev)) {
            throw new IllegalArgumentException("mf: initStddev must be finite and >= 0, got " + initStddev);
        }
        this.dim = dim;
        this.l2 = l2;
        Initializer factors = Initializer.normal(initStddev);
        this.userFactors = addChild(Embedding.builder(spec.numUsers(), dim).name("user_factors")
                .initializer(factors).build(rng));
        this.itemFactors = addChild(Embedding.builder(spec.numItems(), dim).name("item_factors")
                .initializer(factors).build(rng));
        this.userBias = addChild(Embedding.builder(spec.numUsers(), 1).name("user_bias")
                .initializer(Initializer.zeros()).build(rng));
        this.itemBias = addChild(Embedding.builder(spec.numItems(), 1).name("item_bias")
                .initializer(Initializer.zeros()).build(rng));
    }

    public int dim() {
        return dim;
    }

    public float l2() {
        return l2;
    }

    public Weighting weighting() {
        return weighting;
    }

    /**
     * Counts how often each user and item occurs in {@code train}, for
     * {@link Weighting#SQRT_FREQUENCY}; a no-op for {@link Weighting#UNIFORM}.
     */
    public void adaptRowCounts(RatingExamples train) {
        Objects.requireNonNull(train, "train");
        if (weighting == Weighting.UNIFORM) {
            return;
        }
        if (train.spec().numUsers() > spec().numUsers() || train.spec().numItems() > spec().numItems()) {
            throw new IllegalArgumentException("mf: training data has " + train.spec().numUsers() + " users and "
                    + train.spec().numItems() + " items, the model only " + spec().numUsers() + " and "
                    + spec().numItems());
        }
        int[] users = new int[spec().numUsers()];
        int[] items = new int[spec().numItems()];
        for (int k = 0; k < train.size(); k++) {
            users[train.user(k)]++;
            items[train.item(k)]++;
        }
        userRowWeights = inverseSqrt(users);
        itemRowWeights = inverseSqrt(items);
    }

    private static float[] inverseSqrt(int[] counts) {
        float[] w = new float[counts.length];
        for (int r = 0; r < counts.length; r++) {
            w[r] = (float) (1.0 / Math.sqrt(Math.max(1, counts[r])));
        }
        return w;
    }

    public Embedding userFactors() {
        return userFactors;
    }

    public Embedding itemFactors() {
        return itemFactors;
    }

    @Override
    protected Output score(RatingBatch batch) {
        int n = batch.size();
        Tensor p = userFactors.lookup(batch.users());
        Tensor q = itemFactors.lookup(batch.items());
        Tensor bu = userBias.lookup(batch.users(), n);
        Tensor bi = itemBias.lookup(batch.items(), n);
        // Bias tables have width 1, so [n, 1] rows reshape to [n] for free.
        Tensor biases = Ops.add(Ops.reshape(bu, n), Ops.reshape(bi, n));
        Tensor predictions = Ops.add(Ops.dot(p, q), biases);
        return new Output(predictions, penalty(batch, n, p, q));
    }

    private Tensor penalty(RatingBatch batch, int n, Tensor p, Tensor q) {
        if (weighting == Weighting.UNIFORM || l2 == 0f) {
            return rowPenalty(l2, n, p, q);
        }
        if (userRowWeights == null) {
            if (!isTraining()) {
                // A loaded model predicts without its training counts; only training needs the penalty.
                return null;
            }
            throw new IllegalStateException("mf: the " + weighting + " L2 weighting needs row counts: call "
                    + "adaptRowCounts(train) before training (RatingTraining.fit does)");
        }
        Tensor users = Ops.sum(Ops.mul(Ops.square(p), rowWeights(userRowWeights, batch.users(), n)));
        Tensor items = Ops.sum(Ops.mul(Ops.square(q), rowWeights(itemRowWeights, batch.items(), n)));
        return Ops.scale(Ops.add(users, items), l2 / n);
    }

    /** The weights of the {@code n} looked-up rows as a {@code [n, 1]} column that broadcasts over the factors. */
    private static Tensor rowWeights(float[] weights, int[] ids, int n) {
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = weights[ids[k]];
        }
        return Tensor.wrap(w, n, 1);
    }
}
