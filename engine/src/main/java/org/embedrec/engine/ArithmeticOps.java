package org.embedrec.engine;

/**
 * Element-wise add, sub, mul and div with broadcasting over leading dimensions: the shapes are
 * equal, or one is a suffix of the other (a scalar is the empty suffix), and the shorter one
 * repeats over the longer one's leading dimensions. The gradient of the repeated operand is
 * the sum over its repetitions.
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
        throw new IllegalArgumentException(op + ": " + Shape.toString(a) + " and " + Shape.toString(b)
                + " do not broadcast (one shape must end with the other)");
    }

    private static Tensor binary(Kind kind, String name, Tensor a, Tensor b) {
        int[] outShape = broadcastShape(name, a.shape(), b.shape());
        Tensor out = Tensor.zeros(outShape);
        float[] x = a.data();
        float[] y = b.data();
        float[] o = out.data();
        int n = o.length;
        // The output is a run of blocks of the smaller operand's size; the larger operand
        // advances with the block, the smaller one restarts at 0.
        int period = Math.min(x.length, y.length);
        boolean aRepeats = x.length < n;
        boolean bRepeats = y.length < n;
        for (int base = 0; base < n; base += period) {
            int xa = aRepeats ? 0 : base;
            int yb = bRepeats ? 0 : base;
            switch (kind) {
                case ADD -> { for (int j = 0; j < period; j++) o[base + j] = x[xa + j] + y[yb + j]; }
                case SUB -> { for (int j = 0; j < period; j++) o[base + j] = x[xa + j] - y[yb + j]; }
                case MUL -> { for (int j = 0; j < period; j++) o[base + j] = x[xa + j] * y[yb + j]; }
                case DIV -> { for (int j = 0; j < period; j++) o[base + j] = x[xa + j] / y[yb + j]; }
            }
        }
        return GradientTape.record(out, g -> {
            float[] ga = a.requiresGrad() ? a.gradBuffer() : null;
            float[] gb = b.requiresGrad() ? b.gradBuffer() : null;
            for (int base = 0; base < n; base += period) {
                int xa = aRepeats ? 0 : base;
                int yb = bRepeats ? 0 : base;
                for (int j = 0; j < period; j++) {
                    float gi = g[base + j];
                    float xi = x[xa + j];
                    float yi = y[yb + j];
                    switch (kind) {
                        case ADD -> {
                            if (ga != null) ga[xa + j] += gi;
                            if (gb != null) gb[yb + j] += gi;
                        }
                        case SUB -> {
                            if (ga != null) ga[xa + j] += gi;
                            if (gb != null) gb[yb + j] -= gi;
                        }
                        case MUL -> {
                            if (ga != null) ga[xa + j] += gi * yi;
                            if (gb != null) gb[yb + j] += gi * xi;
                        }
                        case DIV -> {
                            if (ga != null) ga[xa + j] += gi / yi;
                            if (gb != null) gb[yb + j] -= gi * xi / (yi * yi);
                        }
                    }
                }
            }
        }, a, b);
    }
}
