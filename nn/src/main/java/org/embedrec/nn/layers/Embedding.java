package org.embedrec.nn.layers;

import java.util.Arrays;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;

/**
 * A trainable table that turns integer ids into dense vectors: row {@code i} of the
 * {@code [vocabularySize, dim]} table is the embedding of id {@code i}. A lookup equals the
 * one-hot matrix of the ids times the table, computed as a row gather without building the
 * one-hot matrix.
 *
 * <p>The gradient is sparse by default: a step records only the rows it looked up (duplicates
 * summed), and optimizers update only those, so a step never costs time proportional to the
 * vocabulary. Defaults follow Keras: uniform(-0.05, 0.05) initial values, name
 * {@code "embedding"}, parameter {@code "embeddings"}.
 */
public final class Embedding extends Layer {
    static final String TYPE = "embedding";

    private final int vocabularySize;
    private final int dim;
    private final Parameter table;

    /** A table with Keras's default initializer and a sparse gradient. */
    public Embedding(int vocabularySize, int dim, Rng rng) {
        this(TYPE, vocabularySize, dim, true, Initializer.uniform(-0.05f, 0.05f), rng);
    }

    private Embedding(String name, int vocabularySize, int dim, boolean sparse, Initializer initializer, Rng rng) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "vocabularySize", vocabularySize);
        LayerChecks.positive(where, "dim", dim);
        LayerChecks.notNull(where, "initializer", initializer);
        LayerChecks.notNull(where, "rng", rng);
        this.vocabularySize = vocabularySize;
        this.dim = dim;
        Tensor values = initializer.create(rng.split(), vocabularySize, dim).sparseGradient(sparse);
        this.table = addParameter("embeddings", values);
    }

    public static Builder builder(int vocabularySize, int dim) {
        return new Builder(vocabularySize, dim);
    }

    /** The rows of {@code ids}, arranged as {@code idShape}: shape {@code idShape + [dim]}. */
    public Tensor lookup(int[] ids, int... idShape) {
        int n = Shape.size(idShape);
        if (n != ids.length) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + ids.length
                    + " ids do not fill id shape " + Shape.toString(idShape));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw outOfRange(ids[i], i, idShape);
            }
        }
        return Ops.gatherRows(table.value(), ids, idShape);
    }

    /** The rows of a flat list of ids: shape {@code [ids.length, dim]}. */
    public Tensor lookup(int[] ids) {
        return lookup(ids, ids.length);
    }

    /**
     * Looks up ids held as floats, shape {@code S -> S + [dim]}. Every value must be an exact
     * integer in {@code [0, vocabularySize)}; floats represent every integer up to
     * {@code 2^24}, so larger tables should be looked up through {@link #lookup(int[], int...)}.
     */
    @Override
    public Tensor apply(Tensor ids) {
        int[] shape = ids.shape();
        float[] values = ids.data();
        int[] rows = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (v != Math.rint(v)) {
                throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "id " + v + " at "
                        + position(i, shape) + " is not an integer");
            }
            if (v < 0 || v >= vocabularySize) {
                throw outOfRange(v, i, shape);
            }
            rows[i] = (int) v;
        }
        return Ops.gatherRows(table.value(), rows, shape);
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    public int dim() {
        return dim;
    }

    /** True when the table's gradient is kept as touched rows. */
    public boolean isSparse() {
        return table.isSparse();
    }

    /** The {@code [vocabularySize, dim]} table. */
    public Parameter embeddings() {
        return table;
    }

    private IndexOutOfBoundsException outOfRange(Object id, int flatIndex, int[] shape) {
        return new IndexOutOfBoundsException(LayerChecks.where(TYPE, this) + "id " + id + " at "
                + position(flatIndex, shape) + " is outside the vocabulary [0, " + vocabularySize + ")");
    }

    /** The row-major index of flat position {@code flat} in {@code shape}, e.g. "[1, 2]". */
    private static String position(int flat, int[] shape) {
        if (shape.length <= 1) {
            return "position " + flat;
        }
        int[] index = new int[shape.length];
        int rest = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        return "position " + Arrays.toString(index);
    }

    /** Configures an {@link Embedding}; every setting has the Keras default. */
    public static final class Builder {
        private final int vocabularySize;
        private final int dim;
        private String name = TYPE;
        private boolean sparse = true;
        private Initializer initializer = Initializer.uniform(-0.05f, 0.05f);

        private Builder(int vocabularySize, int dim) {
            this.vocabularySize = vocabularySize;
            this.dim = dim;
        }

        public Builder name(String value) {
            this.name = value;
            return this;
        }

        /** Whether the gradient is kept as touched rows (the default) or as a dense table. */
        public Builder sparse(boolean value) {
            this.sparse = value;
            return this;
        }

        public Builder initializer(Initializer value) {
            this.initializer = Objects.requireNonNull(value, "initializer");
            return this;
        }

        /** Builds the layer, drawing its initial table from {@code rng}. */
        public Embedding build(Rng rng) {
            return new Embedding(name, vocabularySize, dim, sparse, initializer, rng);
        }
    }
}
