package org.embedrec.engine;

import java.util.Arrays;
import org.embedrec.engine.kernels.Kernels;

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
 *
 * <p>Backward, a full-size operand takes the output's gradient over, turned into its own in
 * place ({@link Tensor#addToGrad}), so {@code a - b} against a constant target costs no pass
 * and no buffer; a repeated operand sums its repetitions into its gradient.
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
            forwardRow(kind, x, r * xs[0], xs[1], y, r * ys[0], ys[1], o, r * cols, cols);
        }
        return GradientTape.record(out, g -> {
            boolean aGrad = a.requiresGrad();
            // b first, while g is intact; then a, which may turn g into its own gradient in place.
            // A full-size operand is the last to need g: it takes g over instead of a new buffer.
            if (b.requiresGrad()) {
                if (y.length == n && !aGrad) {
                    transform(kind, false, g, x, xs, y, ys, rows, cols);
                    b.addToGrad(g);
                } else {
                    accumulate(kind, false, b.gradBuffer(), g, x, xs, y, ys, rows, cols);
                }
            }
            if (aGrad) {
                if (x.length == n) {
                    transform(kind, true, g, x, xs, y, ys, rows, cols);
                    a.addToGrad(g);
                } else {
                    accumulate(kind, true, a.gradBuffer(), g, x, xs, y, ys, rows, cols);
                }
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

    /**
     * One row of the output. Both operands contiguous along the row (the common case: equal
     * shapes, or a vector repeated over rows) runs loops the JIT vectorises; a value repeated
     * along the row (column stride 0) takes the strided loop.
     */
    private static void forwardRow(Kind kind, float[] x, int xo, int xc, float[] y, int yo, int yc,
                                   float[] o, int base, int cols) {
        if (xc == 1 && yc == 1) {
            switch (kind) {
                case ADD -> Kernels.get().add(x, xo, y, yo, o, base, cols);
                case MUL -> Kernels.get().mul(x, xo, y, yo, o, base, cols);
                case SUB -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j] - y[yo + j]; }
                case DIV -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j] / y[yo + j]; }
            }
            return;
        }
        switch (kind) {
            case ADD -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] + y[yo + j * yc]; }
            case SUB -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] - y[yo + j * yc]; }
            case MUL -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] * y[yo + j * yc]; }
            case DIV -> { for (int j = 0; j < cols; j++) o[base + j] = x[xo + j * xc] / y[yo + j * yc]; }
        }
    }

    /**
     * Turns {@code g} in place into the gradient of a full-size operand ({@code first}: of
     * {@code a}, else of {@code b}), element by element: the same products and quotients the
     * accumulating rule adds, so handing the result on gives the same values.
     */
    private static void transform(Kind kind, boolean first, float[] g, float[] x, int[] xs,
                                  float[] y, int[] ys, int rows, int cols) {
        if (kind == Kind.ADD || kind == Kind.SUB && first) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            int xo = r * xs[0];
            int xc = xs[1];
            int yo = r * ys[0];
            int yc = ys[1];
            switch (kind) {
                case SUB -> { for (int j = 0; j < cols; j++) g[base + j] = -g[base + j]; }
                case MUL -> {
                    if (first) {
                        for (int j = 0; j < cols; j++) g[base + j] = g[base + j] * y[yo + j * yc];
                    } else {
                        for (int j = 0; j < cols; j++) g[base + j] = g[base + j] * x[xo + j * xc];
                    }
                }
                case DIV -> {
                    if (first) {
                        for (int j = 0; j < cols; j++) g[base + j] = g[base + j] / y[yo + j * yc];
                    } else {
                        for (int j = 0; j < cols; j++) {
                            float yj = y[yo + j * yc];
                            g[base + j] = -(g[base + j] * x[xo + j * xc] / (yj * yj));
                        }
                    }
                }
                default -> throw new AssertionError(kind);
            }
        }
    }

    /** Accumulates the gradient of one operand ({@code first}: of {@code a}, else of {@code b}). */
    private static void accumulate(Kind kind, boolean first, float[] grad, float[] g, float[] x, int[] xs,
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
            if (gc == 1 && (kind == Kind.ADD || kind == Kind.SUB && first)) {
                // The gradient passes unchanged into a contiguous row.
                Kernels.get().add(grad, go, g, base, grad, go, cols);
                continue;
            }
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
