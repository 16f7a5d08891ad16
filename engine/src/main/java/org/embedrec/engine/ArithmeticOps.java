package org.embedrec.engine;

import java.util.Arrays;

/**
 * Element-wise add, sub, mul and div with two kinds of broadcasting:
 * <ul>
 *   <li>over leading dimensions: one shape ends with the other (a scalar is the empty suffix),
 *       and the shorter one repeats over the longer one's leading dimensions ({@code [B, D] + [D]});
 *   <li>over the last dimension: the shapes are equal but for a last dimension of 1, whose
 *       value repeats along the other's last axis ({@code [B, D] - [B, 1]}, a per-row statistic).
 * </ul>
 * The gradient of a repeated operand is the sum over its repetitions.
 *
 * <p>Both cases are laid out as a grid of {@code rows x cols} output elements in which each
 * operand is read either in full, once per row (repeating over rows), or once per column
 * position of a row (repeating along the row); the op kind is decided once per row.
 */
final class ArithmeticOps {
    private ArithmeticOps() {}

    private enum Kind { ADD, SUB, MUL, DIV }

    static Tensor add(Tensor a, Tensor b) {
        return binary(Kind.ADD, "add", a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        return binary(Kind.SUB, "sub", a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return binary(Kind.MUL, "mul", a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return binary(Kind.DIV, "div", a, b);
    }

    /** The output shape of a broadcast between {@code a} and {@code b}, or an error naming both. */
    static int[] broadcastShape(String op, int[] a, int[] b) {
        if (Shape.endsWith(a, b)) {
            return a;
        }
        if (Shape.endsWith(b, a)) {
            return b;
        }
        if (lastAxisRepeats(a, b)) {
            return b;
        }
        if (lastAxisRepeats(b, a)) {
            return a;
        }
        throw new IllegalArgumentException(op + ": " + Shape.toString(a) + " and " + Shape.toString(b)
                + " do not broadcast (one shape must end with the other, or equal it but for a last dimension of 1)");
    }

    /** True when {@code small} equals {@code big} except for a last dimension of 1. */
    private static boolean lastAxisRepeats(int[] small, int[] big) {
        int r = big.length;
        return r > 0 && small.length == r && small[r - 1] == 1
                && Arrays.equals(small, 0, r - 1, big, 0, r - 1);
    }

    private static Tensor binary(Kind kind, String name, Tensor a, Tensor b) {
        int[] outShape = broadcastShape(name, a.shape(), b.shape());
        Tensor out = Tensor.zeros(outShape);
        float[] x = a.data();
        float[] y = b.data();
        float[] o = out.data();
        int n = o.length;
        if (n == 0) {
            return GradientTape.record(out, g -> { }, a, b);
        }
        // Grid: a last-axis broadcast has one row per output row; otherwise a row is one copy
        // of the smaller operand (the whole tensor when the shapes are equal).
        boolean lastAxis = x.length != y.length && x.length != 1 && y.length != 1
                && !Shape.endsWith(a.shape(), b.shape()) && !Shape.endsWith(b.shape(), a.shape());
        int cols = lastAxis ? outShape[outShape.length - 1] : Math.min(x.length, y.length);
        int rows = n / cols;
        int[] xs = strides(x.length, n, cols, lastAxis);
        int[] ys = strides(y.length, n, cols, lastAxis);
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int xo = r * xs[0];
            int yo = r * ys[0];
            int xc = xs[1];
            int yc = ys[1];
            switch (kind) {
                case ADD -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] + y[yo + j * yc]; }
                case SUB -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] - y[yo + j * yc]; }
                case MUL -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] * y[yo + j * yc]; }
                case DIV -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] / y[yo + j * yc]; }
            }
        }
        return GradientTape.record(out, g -> {
            if (a.requiresGrad()) {
                backward(kind, true, a.gradBuffer(), g, x, xs, y, ys, rows, cols);
            }
            if (b.requiresGrad()) {
                backward(kind, false, b.gradBuffer(), g, x, xs, y, ys, rows, cols);
            }
        }, a, b);
    }

    /**
     * {row stride, column stride} of an operand (element {@code (r, j)} is at
     * {@code r * rowStride + j * columnStride}) of {@code size} elements on the grid: a full
     * operand advances by rows and columns, one repeated over rows restarts each row, and one
     * repeated along the last axis advances once per row and stays put along it.
     */
    private static int[] strides(int size, int n, int cols, boolean lastAxis) {
        if (size == n) {
            return new int[] {cols, 1};
        }
        return lastAxis ? new int[] {1, 0} : new int[] {0, 1};
    }

    /** Accumulates the gradient of one operand ({@code first}: of {@code a}, else of {@code b}). */
    private static void backward(Kind kind, boolean first, float[] grad, float[] g, float[] x, int[] xs,
                                 float[] y, int[] ys, int rows, int cols) {
        int[] gs = first ? xs : ys;
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int go = r * gs[0];
            int gc = gs[1];
            int xo = r * xs[0];
            int xc = xs[1];
            int yo = r * ys[0];
            int yc = ys[1];
            switch (kind) {
                case ADD -> { for (int j = 0; j < cols; j++) grad[go + j * gc] += g[base + j]; }
                case SUB -> {
                    if (first) {
                        for (int j = 0; j < cols; j++) grad[go + j * gc] += g[base + j];
                    } else {
                        for (int j = 0; j < cols; j++) grad[go + j * gc] -= g[base + j];
                    }
                }
                case MUL -> {
                    if (first) {
                        for (int j = 0; j < cols; j++) grad[go + j * gc] += g[base + j] * y[yo + j * yc];
                    } else {
                        for (int j = 0; j < cols; j++) grad[go + j * gc] += g[base + j] * x[xo + j * xc];
                    }
                }
                case DIV -> {
                    if (first) {
                        for (int j = 0; j < cols; j++) grad[go + j * gc] += g[base + j] / y[yo + j * yc];
                    } else {
                        for (int j = 0; j < cols; j++) {
                            float yj = y[yo + j * yc];
                            grad[go + j * gc] -= g[base + j] * x[xo + j * xc] / (yj * yj);
                        }
                    }
                }
            }
        }
    }
}
