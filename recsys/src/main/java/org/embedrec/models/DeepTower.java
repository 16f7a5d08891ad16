package org.embedrec.models;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The deep part of {@link WideAndDeep}: one embedding per sparse field (a multi-valued field
 * is the mean of its non-padded ids' embeddings), concatenated and fed to a dense stack,
 * {@code deep(x) = MLP([e_user ; e_item ; e_f1 ; ...])}. Dropout (rate {@code dropout}) applies
 * to the concatenated embeddings and after each hidden layer.
 */
final class DeepTower extends Layer {
    private final List<SparseFields.Field> fields;
    private final List<Embedding> embeddings = new ArrayList<>();
    private final Dropout inputDropout;
    private final Sequential mlp;
    private final int dim;

    DeepTower(FeatureSpec spec, int dim, List<Integer> hidden, float dropout, Rng rng) {
        super("deep");
        this.dim = dim;
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
            Tensor e = embeddings.get(f).lookup(v.rows());
            if (v.mask() == null && field.width() == 1) {
                parts[f] = e;
            } else {
                parts[f] = meanPool(n, field.width(), e, v.mask());
            }
        }
        Tensor joined = parts.length == 1 ? parts[0] : Ops.concat(-1, parts);
        return Ops.reshape(mlp.apply(inputDropout.apply(joined)), n);
    }

    /**
     * Mean of each example's non-padded rows: {@code [n, 1, w] x [n, w, d]} with weights
     * {@code mask / count} (all zero when an example has no ids, giving a zero vector).
     */
    private Tensor meanPool(int n, int width, Tensor rows, float[] mask) {
        float[] weights = new float[n * width];
        for (int k = 0; k < n; k++) {
            float count = 0;
            for (int j = 0; j < width; j++) {
                count += mask == null ? 1f : mask[k * width + j];
            }
            for (int j = 0; j < width; j++) {
                float m = mask == null ? 1f : mask[k * width + j];
                weights[k * width + j] = count > 0 ? m / count : 0f;
            }
        }
        Tensor pooled = Ops.batchedMatmul(Tensor.wrap(weights, n, 1, width), Ops.reshape(rows, n, width, dim),
                false, false);
        return Ops.reshape(pooled, n, dim);
    }

    @Override
    public Tensor apply(Tensor input) {
        throw new UnsupportedOperationException("the deep part scores rating batches through WideAndDeep");
    }
}
