package org.embedrec.nn.train;

import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;

/** Features {@code x} and targets {@code y} whose first dimension indexes the examples. */
public final class TensorDataset implements Dataset<TensorDataset.Batch> {

    /** A batch of rows of x and y. */
    public record Batch(Tensor x, Tensor y) {}

    private final Tensor x;
    private final Tensor y;

    public TensorDataset(Tensor x, Tensor y) {
        if (x.rank() == 0 || y.rank() == 0 || x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("x " + Shape.toString(x.shape()) + " and y "
                    + Shape.toString(y.shape()) + " must have the same number of rows (first dimension)");
        }
        this.x = x;
        this.y = y;
    }

    @Override
    public int size() {
        return x.dim(0);
    }

    @Override
    public Batch batch(int[] indices, int from, int to) {
        return new Batch(rows(x, indices, from, to), rows(y, indices, from, to));
    }

    /** The whole dataset as one batch, in order. */
    public Batch all() {
        return new Batch(x, y);
    }

    private static Tensor rows(Tensor t, int[] indices, int from, int to) {
        int[] shape = t.shape();
        int width = Shape.inner(shape, 0);
        shape[0] = to - from;
        float[] src = t.data();
        float[] dst = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(src, indices[i] * width, dst, (i - from) * width, width);
        }
        return Tensor.wrap(dst, shape);
    }
}
