package org.embedrec.engine;

import java.util.Arrays;
import org.embedrec.engine.kernels.Kernels;

/**
 * A dense float32 tensor in row-major order, backed by one {@code float[]}.
 *
 * <p>The backing array is exposed through {@link #data()} on purpose: kernels, optimizers and
 * readers work on flat arrays without copies. The shape is fixed at construction.
 *
 * <p>A tensor that {@link #requiresGrad() requires a gradient} collects one while a
 * {@link GradientTape} records: densely in {@link #grad()}, or, for a tensor marked
 * {@link #sparseGradient(boolean) sparse} (an embedding table), as a set of touched rows in
 * {@link #rowGradient()}.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;
    private boolean requiresGrad;
    private boolean sparseGradient;
    private float[] grad;
    private RowSparseGradient rowGradient;

    private Tensor(float[] data, int[] shape) {
        this.shape = shape;
        this.data = data;
    }

    /** Wraps {@code data} without copying; its length must equal the product of {@code shape}. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] s = Shape.validated(shape);
        int size = Shape.size(s);
        if (data.length != size) {
            throw new IllegalArgumentException(
                    "tensor of shape " + Shape.toString(s) + " needs " + size
                            + " values, got " + data.length);
        }
        return new Tensor(data, s);
    }

    /** A tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException(
                        "row " + r + " has " + rows[r].length + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, flat, r * cols, cols);
        }
        return new Tensor(flat, new int[] {rows.length, cols});
    }

    public static Tensor zeros(int... shape) {
        int[] s = Shape.validated(shape);
        return new Tensor(new float[Shape.size(s)], s);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** The live backing array: writes are seen by the tensor. */
    public float[] data() {
        return data;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return shape[Shape.axis(axis, shape.length)];
    }

    public int size() {
        return data.length;
    }

    /** The single value of a tensor with one element. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException(
                    "item() needs a tensor with one element, shape is " + Shape.toString(shape));
        }
        return data[0];
    }

    public float get(int... index) {
        return data[Shape.offset(shape, index)];
    }

    public void set(float value, int... index) {
        data[Shape.offset(shape, index)] = value;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks this tensor as a leaf whose gradient is wanted; returns this tensor. */
    public Tensor requiresGrad(boolean value) {
        this.requiresGrad = value;
        return this;
    }

    /**
     * Marks this tensor as a table whose gradient is kept as touched rows only: {@link
     * Ops#gatherRows} then accumulates into {@link #rowGradient()} and {@link #grad()} stays null.
     */
    public Tensor sparseGradient(boolean value) {
        if (value && rank() != 2) {
            throw new IllegalArgumentException(
                    "a sparse gradient needs a 2-D table, shape is " + Shape.toString(shape));
        }
        this.sparseGradient = value;
        return this;
    }

    public boolean hasSparseGradient() {
        return sparseGradient;
    }

    /** The dense gradient, or null when none has been accumulated. */
    public float[] grad() {
        return grad;
    }

    /** The dense gradient buffer, allocated as zeros on first use; ops accumulate into it. */
    public float[] gradBuffer() {
        if (grad == null) {
            grad = new float[data.length];
        }
        return grad;
    }

    /**
     * Adds {@code g} to the dense gradient. When there is none yet, {@code g} itself becomes the
     * gradient, uncopied: the caller hands the array over and must not touch it again. A backward
     * rule passes on the output gradient the tape gives it this way (the tape is done with it once
     * the rule returns), which saves allocating, zero-filling and adding into a second buffer.
     */
    void addToGrad(float[] g) {
        if (g.length != data.length) {
            throw new IllegalArgumentException("gradient of " + g.length + " values for a tensor of shape "
                    + Shape.toString(shape) + " (" + data.length + " values)");
        }
        if (grad == null) {
            grad = g;
        } else {
            Kernels.get().add(grad, 0, g, 0, grad, 0, grad.length);
        }
    }

    /** The row gradient of a sparse table, allocated empty on first use. */
    public RowSparseGradient rowGradient() {
        if (rowGradient == null) {
            rowGradient = new RowSparseGradient(shape[1]);
        }
        return rowGradient;
    }

    /** Clears dense and row gradients, keeping their buffers for reuse. */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
        if (rowGradient != null) {
            rowGradient.clear();
        }
    }

    /** Drops the gradient buffers; the next accumulation allocates afresh. */
    public void dropGrad() {
        grad = null;
        rowGradient = null;
    }

    /** A tensor sharing this one's data, outside any gradient tape. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    /** A deep copy of the values, outside any gradient tape. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shape.toString(shape)).append(' ');
        int shown = Math.min(data.length, 8);
        sb.append('[');
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(data[i]);
        }
        if (shown < data.length) {
            sb.append(", ...");
        }
        return sb.append(']').toString();
    }
}
