package org.embedrec.models;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The embedding-dot model with a dense head:
 * {@code r(u, i) = mu + b_u + b_i + MLP(p_u . q_i)}, where {@code p_u}, {@code q_i} are user and
 * item embeddings, {@code b_u}, {@code b_i} their biases, and the MLP is
 * {@code Dense(64, relu) -> Dense(1)} by default (the hidden sizes are configurable). The head
 * learns a monotone or saturating map of the affinity onto the rating scale. The biases carry
 * what a user or item rates on average, which a head that sees only the dot product cannot
 * separate from affinity; without them the model overfits within a few epochs on MovieLens.
 * With {@code l2 > 0} the looked-up embeddings get the lazy L2 penalty of
 * {@link MatrixFactorization}.
 */
public final class DotMlp extends RatingModel {
    private final Embedding users;
    private final Embedding items;
    private final Embedding userBias;
    private final Embedding itemBias;
    private final Sequential head;
    private final float l2;

    public DotMlp(FeatureSpec spec, int dim, List<Integer> hidden, float dropout, float l2, Rng rng) {
        super("dot_mlp", spec);
        this.users = addChild(Embedding.builder(spec.numUsers(), dim).name("user_embedding").build(rng));
        this.items = addChild(Embedding.builder(spec.numItems(), dim).name("item_embedding").build(rng));
        this.userBias = addChild(Embedding.builder(spec.numUsers(), 1).name("user_bias")
                .initializer(org.embedrec.nn.Initializer.zeros()).build(rng));
        this.itemBias = addChild(Embedding.builder(spec.numItems(), 1).name("item_bias")
                .initializer(org.embedrec.nn.Initializer.zeros()).build(rng));
        this.l2 = l2;
        this.head = addChild(DenseStack.build("head", 1, hidden, dropout, rng));
    }

    @Override
    protected Output score(RatingBatch batch) {
        int n = batch.size();
        Tensor p = users.lookup(batch.users());
        Tensor q = items.lookup(batch.items());
        Tensor out = Ops.reshape(head.apply(Ops.reshape(Ops.dot(p, q), n, 1)), n);
        Tensor biases = Ops.add(Ops.reshape(userBias.lookup(batch.users()), n),
                Ops.reshape(itemBias.lookup(batch.items()), n));
        return new Output(Ops.add(out, biases), rowPenalty(l2, n, p, q));
    }
}
