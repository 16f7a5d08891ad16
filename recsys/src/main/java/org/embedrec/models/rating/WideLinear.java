package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.Embedding;

/**
 * The wide part of {@link WideAndDeep}: a linear model over one-hot and crossed sparse
 * features, {@code wide(x) = b + sum over fields f of sum over ids j of f in x of w_f[j]},
 * each {@code w_f} a sparse width-1 {@link Embedding} (a lookup is the one-hot product).
 * Weights start at zero, as a linear model trained by FTRL does.
 */
final class WideLinear extends Module {
    private final List<SparseFields.Field> fields;
    private final List<Embedding> weights = new ArrayList<>();
    private final Parameter bias;

    WideLinear(RatingFeatureSpec spec, Rng rng) {
        super("wide");
        this.fields = new ArrayList<>(SparseFields.base(spec));
        fields.addAll(SparseFields.crosses(spec));
        for (SparseFields.Field f : fields) {
            weights.add(addChild(Embedding.builder(f.rows(), 1).name(f.name())
                    .initializer(Initializer.zeros()).build(rng)));
        }
        this.bias = addParameter("bias", Tensor.scalar(0f));
    }

    /** Number of fields: base fields, then crosses. */
    int fieldCount() {
        return fields.size();
    }

    /** {@code [n]} logits from the per-field values, in {@link #fields} order. */
    Tensor logit(int n, List<SparseFields.Values> values) {
        Tensor sum = null;
        for (int f = 0; f < fields.size(); f++) {
            SparseFields.Field field = fields.get(f);
            SparseFields.Values v = values.get(f);
            Tensor w = weights.get(f).lookup(v.rows());
            Tensor term;
            if (v.mask() == null && field.width() == 1) {
                term = Ops.reshape(w, n);
            } else {
                Tensor perId = Ops.reshape(w, n, field.width());
                if (v.mask() != null) {
                    perId = Ops.mul(perId, Tensor.wrap(v.mask(), n, field.width()));
                }
                term = Ops.sum(perId, 1, false);
            }
            sum = sum == null ? term : Ops.add(sum, term);
        }
        return Ops.add(sum, bias.value());
    }
}
