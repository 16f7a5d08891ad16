package org.embedrec.models.rating;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.models.IdentityStartMlp;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The embedding-dot model with a dense head:
 * {@code r(u, i) = mu + b_u + b_i + MLP(p_u . q_i)}, where {@code p_u}, {@code q_i} are user and
 * item embeddings, {@code b_u}, {@code b_i} their biases, and the MLP is
 * {@code Dense(64, relu) -> Dense(1)} by default (the hidden sizes are configurable). The head
 * learns a monotone or saturating map of the affinity onto the rating scale. The biases carry
 * what a user or item rates on average, which a head that sees only the dot product cannot
 * separate from affinity.
 *
 * <p>Two choices make it generalise on MovieLens rather than overfit within a few epochs:
 * <ul>
 *   <li>The head starts as the identity map ({@link IdentityStartMlp}), so the model
 *       starts as biased matrix factorisation and the head learns only a correction. From a
 *       random start the head's slope at the near-zero initial affinities is tiny, the
 *       embeddings barely learn, and the head fits noise instead.
 *   <li>Dropout (rate {@code dropout}) on {@code p_u} and {@code q_i} before the dot product.
 *       It is the regulariser that suits this model: an L2 penalty on the embeddings can be
 *       dodged by shrinking them while the (unpenalised) head scales the affinity back up, and
 *       Adam does exactly that; the noise dropout puts into {@code p_u . q_i} passes through
 *       the head, so it penalises the prediction, whatever scale the parts take.
 * </ul>
 * With {@code l2 > 0} the looked-up embeddings also get the lazy L2 penalty of
 * {@link MatrixFactorization}.
 */
public final class DotMlp extends RatingModel {
    /**
     * The head's kinks spread over affinities in [-2, 2]: a fitted model's {@code p_u . q_i}
     * adds to or takes from the biased mean at most a couple of stars on a 1..5 scale.
     */
    private static final float HEAD_KINK_SPREAD = 2f;

    private final Embedding users;
    private final Embedding items;
    private final Embedding userBias;
    private final Embedding itemBias;
    private final Dropout userDropout;
    private final Dropout itemDropout;
    private final Sequential head;
    private final float l2;

    public DotMlp(RatingFeatureSpec spec, int dim, List<Integer> hidden, float dropout, float l2, Rng rng) {
        super("dot_mlp", spec);
        this.users = addChild(Embedding.builder(spec.numUsers(), dim).name("user_embedding").build(rng));
        this.items = addChild(Embedding.builder(spec.numItems(), dim).name("item_embedding").build(rng));
        this.userBias = addChild(Embedding.builder(spec.numUsers(), 1).name("user_bias")
                .initializer(Initializer.zeros()).build(rng));
        this.itemBias = addChild(Embedding.builder(spec.numItems(), 1).name("item_bias")
                .initializer(Initializer.zeros()).build(rng));
        this.l2 = l2;
        this.head = addChild(IdentityStartMlp.build("head", hidden, HEAD_KINK_SPREAD, rng));
        this.userDropout = addChild(new Dropout("user_dropout", dropout, rng));
        this.itemDropout = addChild(new Dropout("item_dropout", dropout, rng));
    }

    @Override
    protected Output score(RatingBatch batch) {
        int n = batch.size();
        Tensor p = users.lookup(batch.users());
        Tensor q = items.lookup(batch.items());
        Tensor affinity = Ops.dot(userDropout.apply(p), itemDropout.apply(q));
        Tensor out = Ops.reshape(head.apply(Ops.reshape(affinity, n, 1)), n);
        Tensor biases = Ops.add(Ops.reshape(userBias.lookup(batch.users()), n),
                Ops.reshape(itemBias.lookup(batch.items()), n));
        return new Output(Ops.add(out, biases), rowPenalty(l2, n, p, q));
    }
}
