package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.embedrec.engine.Rng;
import org.embedrec.models.HeapBudget;
import org.embedrec.nn.optim.MultiOptimizer;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.optim.Optimizers;

/**
 * Builds rating models by name, and the optimizer that trains each: {@code mf} ({@link MatrixFactorization}),
 * {@code dot-mlp} ({@link DotMlp}), {@code ncf-mlp} ({@link NcfMlp}) and {@code wide-deep}
 * ({@link WideAndDeep}).
 */
public final class RatingModels {
    /** The model names {@link #create} understands. */
    public static final List<String> NAMES = List.of("mf", "dot-mlp", "ncf-mlp", "wide-deep");

    /** Standard deviation of {@code mf}'s initial factors. */
    private static final float MF_INIT_STDDEV = 0.1f;

    private RatingModels() {}

    /**
     * Model {@code name} for {@code spec}, sized and regularised by {@code config}, weights drawn
     * from {@code rng}; refused before anything is allocated when its embedding tables would not
     * fit the heap (see {@link HeapBudget}).
     */
    public static RatingModel create(String name, RatingFeatureSpec spec, RatingModelConfig config, Rng rng) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(rng, "rng");
        List<HeapBudget.Table> tables = new ArrayList<>(embeddingTables(checkName(name), spec, config.embeddingDim()));
        tables.addAll(hiddenLayers(name, spec, config));
        HeapBudget.requireFits(tables, config.optimizer(), Runtime.getRuntime().maxMemory(),
                "Lower the embedding width (--embedding-dim) or the hidden layers' sizes");
        int dim = config.embeddingDim();
        return switch (checkName(name)) {
            case "mf" -> new MatrixFactorization(spec, dim, config.l2(), MatrixFactorization.Weighting.SQRT_FREQUENCY,
                    MF_INIT_STDDEV, rng);
            case "dot-mlp" -> new DotMlp(spec, dim, config.hiddenUnits(), config.dropout(), config.l2(), rng);
            case "ncf-mlp" -> new NcfMlp(spec, dim, config.hiddenUnits(), config.dropout(), config.l2(), rng);
            default -> new WideAndDeep(spec, dim, config.hiddenUnits(), config.dropout(), rng);
        };
    }

    /**
     * The {@code dim}-wide tables model {@code name} looks up: users and items, and for
     * {@code wide-deep} each categorical and multi-valued column too (its wide part's one-wide
     * tables are left out, being small beside them).
     */
    static List<HeapBudget.Table> embeddingTables(String name, RatingFeatureSpec spec, int dim) {
        List<HeapBudget.Table> tables = new ArrayList<>();
        List<SparseFields.Field> fields = SparseFields.base(spec);
        for (SparseFields.Field f : name.equals("wide-deep") ? fields : fields.subList(0, 2)) {
            tables.add(new HeapBudget.Table(f.name(), f.rows(), dim));
        }
        return tables;
    }

    /**
     * The kernels of the hidden layers, each as a table of its input width by its units: a saved
     * model's description may ask for layers no heap holds (a fuzzer found 444,444,444 units), which
     * must be refused before they are allocated. The first layer reads {@code dim} per embedded
     * field (two for {@code ncf-mlp}, one score for {@code dot-mlp}'s head).
     */
    static List<HeapBudget.Table> hiddenLayers(String name, RatingFeatureSpec spec, RatingModelConfig config) {
        List<HeapBudget.Table> tables = new ArrayList<>();
        if (name.equals("mf") || config.hiddenUnits() == null) {
            return tables;
        }
        long width = switch (name) {
            case "dot-mlp" -> 1;
            case "ncf-mlp" -> 2L * config.embeddingDim();
            default -> (long) config.embeddingDim() * SparseFields.base(spec).size();
        };
        int i = 0;
        for (Integer units : config.hiddenUnits()) {
            long u = units == null ? 0 : Math.max(0, units);
            tables.add(new HeapBudget.Table("hidden layer " + i++, width, u));
            width = u;
        }
        return tables;
    }

    /**
     * The optimizer that trains {@code model}: {@code config.optimizer()} for all its parameters,
     * or for {@link WideAndDeep} a {@link MultiOptimizer} with {@code config.wideOptimizer()} on
     * the wide parameters and {@code config.optimizer()} on the deep ones.
     */
    public static Optimizer optimizerFor(RatingModel model, RatingModelConfig config) {
        if (model instanceof WideAndDeep wd) {
            return MultiOptimizer.builder()
                    .add(wd.wideParameters(), Optimizers.create(config.wideOptimizer(), config.wideLearningRate()))
                    .add(wd.deepParameters(), Optimizers.create(config.optimizer(), config.learningRate()))
                    .build();
        }
        return Optimizers.create(config.optimizer(), config.learningRate());
    }

    /** {@code name} when it is a known model name; IllegalArgumentException listing the names otherwise. */
    static String checkName(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown model '" + name + "': expected one of "
                    + String.join(", ", NAMES));
        }
        return name;
    }
}
