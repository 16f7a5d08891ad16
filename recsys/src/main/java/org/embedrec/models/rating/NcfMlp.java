package org.embedrec.models.rating;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The concatenated-embeddings MLP of neural collaborative filtering (He et al. 2017, the MLP
 * branch): {@code r(u, i) = mu + MLP([p_u ; q_i])}, with {@code Dense(64, relu) -> Dense(1)} by
 * default. Unlike a dot product, the MLP can learn any interaction of the two embeddings.
 * Dropout (rate {@code dropout}) applies to the concatenated embeddings and after each hidden
 * layer. With {@code l2 > 0} the looked-up embeddings get the lazy L2 penalty of
 * {@link MatrixFactorization}.
 */
public final class NcfMlp extends RatingModel {
    private final Embedding users;
    private final Embedding items;
    private final Dropout inputDropout;
    private final Sequential head;
    private final float l2;

    public NcfMlp(RatingFeatureSpec spec, int dim, List<Integer> hidden, float dropout, float l2, Rng rng) {
        super("ncf_mlp", spec);
        this.users = addChild(Embedding.builder(spec.numUsers(), dim).name("user_embedding").build(rng));
        this.items = addChild(Embedding.builder(spec.numItems(), dim).name("item_embedding").build(rng));
        this.l2 = l2;
        this.head = addChild(DenseStack.build("head", 2 * dim, hidden, dropout, rng));
        this.inputDropout = addChild(new Dropout("input_dropout", dropout, rng));
    }

    @Override
    protected Output score(RatingBatch batch) {
        Tensor p = users.lookup(batch.users());
        Tensor q = items.lookup(batch.items());
        Tensor out = head.apply(inputDropout.apply(Ops.concat(-1, p, q)));
        return new Output(Ops.reshape(out, batch.size()), rowPenalty(l2, batch.size(), p, q));
    }
}
