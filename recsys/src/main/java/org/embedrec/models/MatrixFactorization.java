package org.embedrec.models;

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
 */
public final class MatrixFactorization extends RatingModel {
    private final int dim;
    private final float l2;
    private final Embedding userFactors;
    private final Embedding itemFactors;
    private final Embedding userBias;
    private final Embedding itemBias;

    /**
     * @param dim factor dimension
     * @param l2 lazy L2 strength, {@code >= 0}
     * @param initStddev standard deviation of the initial factors
     */
    public MatrixFactorization(FeatureSpec spec, int dim, float l2, float initStddev, Rng rng) {
        super("mf", spec);
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
        return new Output(predictions, rowPenalty(l2, n, p, q));
    }
}
