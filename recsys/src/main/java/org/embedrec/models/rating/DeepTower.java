package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The deep part of {@link WideAndDeep}: one embedding per sparse field (a multi-valued field
 * is the mean of its non-padded ids' embeddings), concatenated and fed to a dense stack,
 * {@code deep(x) = MLP([e_user ; e_item ; e_f1 ; ...])}. Dropout (rate {@code dropout}) applies
 * to the concatenated embeddings and after each hidden layer.
 */
final class DeepTower extends Module {
    private final List<SparseFields.Field> fields;
    private final List<Embedding> embeddings = new ArrayList<>();
    private final Dropout inputDropout;
    private final Sequential mlp;

    DeepTower(RatingFeatureSpec spec, int dim, List<Integer> hidden, float dropout, Rng rng) {
        super("deep");
        this.fields = SparseFields.base(spec);
        for (SparseFields.Field f : fields) {
            embeddings.add(addChild(Embedding.builder(f.rows(), dim).name(f.name()).build(rng)));
        }
        this.mlp = addChild(DenseStack.build("mlp", fields.size() * dim, hidden, dropout, rng));
        this.inputDropout = addChild(new Dropout("input_dropout", dropout, rng));
    }

    /** {@code [n]} outputs from the base fields' values, in {@link SparseFields#base} order. */
    Tensor logit(int n, List<SparseFields.Values> values) {
        Tensor[] parts = new Tensor[fields.size()];
        for (int f = 0; f < parts.length; f++) {
            SparseFields.Field field = fields.get(f);
            SparseFields.Values v = values.get(f);
            Embedding table = embeddings.get(f);
            if (v.mask() == null && field.width() == 1) {
                parts[f] = table.lookup(v.rows());
            } else {
                parts[f] = meanPool(table, field, v);
            }
        }
        Tensor joined = parts.length == 1 ? parts[0] : Ops.concat(-1, parts);
        return Ops.reshape(mlp.apply(inputDropout.apply(joined)), n);
    }

    /**
     * Mean of each example's non-padded rows, {@code [n, dim]} (a zero vector when an example
     * has no ids): one fused gather-and-average, so a bag costs its rows' additions rather than
     * a small matrix product per example. Padded positions hold the field's pad row, the last,
     * with mask 0; an unpadded field averages all of its positions.
     */
    private static Tensor meanPool(Embedding table, SparseFields.Field field, SparseFields.Values v) {
        int padRow = v.mask() == null ? -1 : field.rows() - 1;
        return Ops.gatherMean(table.embeddings().value(), v.rows(), field.width(), padRow);
    }
}
