package org.embedrec.engine;

import java.util.Arrays;
import org.embedrec.engine.kernels.Kernels;

/**
 * Ops that move values without computing on them: reshape, concat and slice. Their backward
 * rules move the gradient back the same way.
 *
 * <p>In row-major order a tensor viewed around {@code axis} is {@code outer} blocks of
 * {@code dim(axis) * inner} contiguous values, which is what concat and slice copy.
 */
final class ShapeOps {
    private ShapeOps() {}

    /**
     * Same values, new shape; one dimension may be -1 and is inferred. The output shares the
     * input's data array (a tensor's shape never changes, so the view cannot go stale).
     */
    static Tensor reshape(Tensor x, int... shape) {
        int[] target = inferShape(x.shape(), shape);
        Tensor out = Tensor.wrap(x.data(), target);
        // The gradient has the same values in the same order: it is handed on, not copied.
        return GradientTape.record(out, x::addToGrad, x);
    }

    /** {@code shape} with a -1 resolved so that it holds as many elements as {@code from}. */
    static int[] inferShape(int[] from, int[] shape) {
        int size = Shape.size(from);
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) {
                    throw new IllegalArgumentException(reshapeMessage(from, shape)
                            + ": only one dimension may be -1");
                }
                unknown = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException(reshapeMessage(from, shape)
                        + ": dimension " + i + " is " + shape[i] + ", expected a size or -1");
            } else {
                known *= shape[i];
            }
        }
        int[] resolved = shape.clone();
        if (unknown >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException(reshapeMessage(from, shape) + ": " + size
                        + " elements do not divide into rows of " + known);
            }
            resolved[unknown] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException(reshapeMessage(from, shape) + ": " + size
                    + " elements cannot take a shape of " + known);
        }
        return resolved;
    }

    private static String reshapeMessage(int[] from, int[] shape) {
        return "reshape: " + Shape.toString(from) + " to " + Shape.toString(shape);
    }

    /** Concatenation along {@code axis}; all other dimensions must agree. */
    static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) {
            throw new IllegalArgumentException("concat: expected at least one tensor, got none");
        }
        int[] first = xs[0].shape();
        if (first.length == 0) {
            throw new IllegalArgumentException("concat: cannot concatenate scalars (shape [])");
        }
        int ax = axis("concat", first, axis);
        int total = 0;
        for (int t = 0; t < xs.length; t++) {
            int[] s = xs[t].shape();
            boolean agrees = s.length == first.length;
            for (int i = 0; agrees && i < s.length; i++) {
                agrees = i == ax || s[i] == first[i];
            }
            if (!agrees) {
                throw new IllegalArgumentException("concat along axis " + axis + ": tensor " + t
                        + " has shape " + Shape.toString(s) + ", tensor 0 has " + Shape.toString(first)
                        + ": all dimensions but axis " + ax + " must agree");
            }
            total += s[ax];
        }
        int outer = Shape.outer(first, ax);
        int inner = Shape.inner(first, ax);
        int[] outShape = first.clone();
        outShape[ax] = total;
        Tensor out = Tensor.zeros(outShape);
        float[] o = out.data();
        int outBlock = total * inner;
        // Each input's block per outer index, and where it starts inside the output's block.
        int[] block = new int[xs.length];
        int[] start = new int[xs.length];
        for (int t = 0, at = 0; t < xs.length; t++) {
            block[t] = xs[t].dim(ax) * inner;
            start[t] = at;
            at += block[t];
        }
        for (int t = 0; t < xs.length; t++) {
            float[] src = xs[t].data();
            for (int r = 0; r < outer; r++) {
                System.arraycopy(src, r * block[t], o, r * outBlock + start[t], block[t]);
            }
        }
        Tensor[] inputs = xs.clone();
        return GradientTape.record(out, g -> {
            for (int t = 0; t < inputs.length; t++) {
                if (inputs[t].requiresGrad()) {
                    addBlocks(g, start[t], outBlock, inputs[t], block[t], outer);
                }
            }
        }, inputs);
    }

    /** Elements {@code [start, end)} along {@code axis}. */
    static Tensor slice(Tensor x, int axis, int start, int end) {
        int[] shape = x.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("slice: cannot slice a scalar (shape [])");
        }
        int ax = axis("slice", shape, axis);
        if (start < 0 || start > end || end > shape[ax]) {
            throw new IllegalArgumentException("slice: " + Shape.toString(shape) + " along axis " + axis
                    + ": range [" + start + ", " + end + ") is not within [0, " + shape[ax] + "]");
        }
        int outer = Shape.outer(shape, ax);
        int inner = Shape.inner(shape, ax);
        int inBlock = shape[ax] * inner;
        int outBlock = (end - start) * inner;
        int offset = start * inner;
        int[] outShape = Arrays.copyOf(shape, shape.length);
        outShape[ax] = end - start;
        Tensor out = Tensor.zeros(outShape);
        float[] xs = x.data();
        float[] o = out.data();
        for (int r = 0; r < outer; r++) {
            System.arraycopy(xs, r * inBlock + offset, o, r * outBlock, outBlock);
        }
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            Kernels kern = Kernels.get();
            for (int r = 0; r < outer; r++) {
                kern.add(gx, r * inBlock + offset, g, r * outBlock, gx, r * inBlock + offset, outBlock);
            }
        }, x);
    }

    /**
     * Adds to {@code x}'s gradient its part of the gradient {@code g} of a concatenation: in each of
     * {@code outer} blocks of {@code g} ({@code outBlock} long), the {@code block} values from
     * {@code start}. A first gradient is copied rather than added into zeros.
     */
    private static void addBlocks(float[] g, int start, int outBlock, Tensor x, int block, int outer) {
        if (x.grad() == null) {
            float[] gx = new float[outer * block];
            for (int r = 0; r < outer; r++) {
                System.arraycopy(g, r * outBlock + start, gx, r * block, block);
            }
            x.addToGrad(gx);
            return;
        }
        float[] gx = x.grad();
        Kernels kern = Kernels.get();
        for (int r = 0; r < outer; r++) {
            kern.add(gx, r * block, g, r * outBlock + start, gx, r * block, block);
        }
    }

    /** {@code axis} resolved against {@code shape}'s rank, or an error naming the op and shape. */
    static int axis(String op, int[] shape, int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(op + ": " + Shape.toString(shape) + ": axis " + axis
                    + " is out of range for rank " + shape.length);
        }
        return a;
    }
}
