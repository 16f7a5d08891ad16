package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;

/**
 * Wide &amp; Deep (Cheng et al. 2016): {@code r(x) = mu + wide(x) + deep(x)}. The wide part is
 * a linear model on one-hot and hashed crossed sparse features (user, item, every categorical
 * and multi-valued column, every cross of the {@link RatingFeatureSpec}, such as user x genre); the
 * deep part embeds the same base fields, concatenates them and applies
 * {@code Dense(64, relu) -> Dense(32, relu) -> Dense(1)} by default. Both are trained jointly
 * on one loss, each with its own optimizer (FTRL or SGD for the sparse linear weights, Adam for
 * the deep part): see {@link RatingModels#optimizerFor}.
 *
 * <p>For pre-training, {@link #wideOnly()} predicts {@code mu + wide(x)} and trains only the
 * wide parameters; {@link #deepOverWide()} predicts {@code mu + wide(x) + deep(x)} with the wide
 * part held fixed, so the deep part learns the residual of the pre-trained wide part and the
 * joint phase starts from a consistent sum.
 */
public final class WideAndDeep extends RatingModel {
    private final WideLinear wide;
    private final DeepTower deep;
    private final List<SparseFields.Field> baseFields;
    private final List<SparseFields.Field> crossFields;

    public WideAndDeep(RatingFeatureSpec spec, int dim, List<Integer> hidden, float dropout, Rng rng) {
        super("wide_deep", spec);
        if (dim <= 0) {
            throw new IllegalArgumentException("wide-deep: dim must be at least 1, got " + dim);
        }
        this.baseFields = SparseFields.base(spec);
        this.crossFields = SparseFields.crosses(spec);
        this.wide = addChild(new WideLinear(spec, rng));
        this.deep = addChild(new DeepTower(spec, dim, hidden, dropout, rng));
    }

    /** The wide (linear) part. */
    public Module widePart() {
        return wide;
    }

    /** The deep part. */
    public Module deepPart() {
        return deep;
    }

    /** Parameters of the wide part: one sparse weight table per field, and the bias. */
    public List<Parameter> wideParameters() {
        return wide.parameters();
    }

    /** Parameters of the deep part: field embeddings and the dense stack. */
    public List<Parameter> deepParameters() {
        return deep.parameters();
    }

    @Override
    protected Output score(RatingBatch batch) {
        int n = batch.size();
        List<SparseFields.Values> base = values(baseFields, batch);
        return new Output(Ops.add(wideLogit(n, base, batch), deep.logit(n, base)), null);
    }

    /**
     * A model of the wide part alone, {@code mu + wide(x)}, whose parameters are the wide
     * part's; training it pre-trains the wide part. It takes this model's global bias now.
     */
    public RatingModel wideOnly() {
        return new View("wide_only", this, wide, batch -> {
            List<SparseFields.Values> base = values(baseFields, batch);
            return wideLogit(batch.size(), base, batch);
        });
    }

    /**
     * A model predicting {@code mu + wide(x) + deep(x)} whose parameters are the deep part's
     * only: the wide output is detached, so training it fits the deep part to the wide part's
     * residual. It takes this model's global bias now.
     */
    public RatingModel deepOverWide() {
        return new View("deep_over_wide", this, deep, batch -> {
            int n = batch.size();
            List<SparseFields.Values> base = values(baseFields, batch);
            Tensor fixedWide = wideLogit(n, base, batch).detach();
            return Ops.add(fixedWide, deep.logit(n, base));
        });
    }

    private Tensor wideLogit(int n, List<SparseFields.Values> base, RatingBatch batch) {
        List<SparseFields.Values> all = new ArrayList<>(base);
        all.addAll(values(crossFields, batch));
        return wide.logit(n, all);
    }

    private List<SparseFields.Values> values(List<SparseFields.Field> fields, RatingBatch batch) {
        List<SparseFields.Values> out = new ArrayList<>(fields.size());
        for (SparseFields.Field f : fields) {
            out.add(SparseFields.values(spec(), f, batch));
        }
        return out;
    }

    /** A rating model over one part of this one, for pre-training that part alone. */
    private static final class View extends RatingModel {
        private final Function<RatingBatch, Tensor> scorer;

        View(String name, WideAndDeep whole, Module trained, Function<RatingBatch, Tensor> scorer) {
            super(name, whole.spec());
            addChild(trained);
            this.scorer = scorer;
            setGlobalBias(whole.globalBias());
        }

        @Override
        protected Output score(RatingBatch batch) {
            return new Output(scorer.apply(batch), null);
        }
    }
}
