package org.embedrec.engine;

/**
 * Element-wise math: exp, log, square, sqrt, scaling, shifting and clamping. Where the
 * derivative is a function of the output ({@code exp}, {@code sqrt}) the backward rule reads
 * the output instead of recomputing from the input. Each backward rule turns the output's
 * gradient into the input's in place and hands the array on ({@link Tensor#addToGrad}).
 */
final class MathOps {
    private MathOps() {}

    /** {@code exp(x)}; {@code dy/dx = y}. */
    static Tensor exp(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.exp(xs[i]);
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] * y[i];
            }
            x.addToGrad(g);
        }, x);
    }

    /** Natural logarithm; {@code dy/dx = 1 / x}. */
    static Tensor log(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.log(xs[i]);
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] / xs[i];
            }
            x.addToGrad(g);
        }, x);
    }

    /** {@code x^2}; {@code dy/dx = 2x}. */
    static Tensor square(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = xs[i] * xs[i];
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = 2f * xs[i] * g[i];
            }
            x.addToGrad(g);
        }, x);
    }

    /** Square root; {@code dy/dx = 1 / (2y)}, infinite at 0. */
    static Tensor sqrt(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.sqrt(xs[i]);
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = 0.5f * g[i] / y[i];
            }
            x.addToGrad(g);
        }, x);
    }

    /** {@code c * x}. */
    static Tensor scale(Tensor x, float c) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = c * xs[i];
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = c * g[i];
            }
            x.addToGrad(g);
        }, x);
    }

    /** {@code x + c}. */
    static Tensor addScalar(Tensor x, float c) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = xs[i] + c;
        }
        return GradientTape.record(out, x::addToGrad, x);
    }

    /**
     * {@code min(max(x, lo), hi)}. The gradient passes strictly inside {@code (lo, hi)}: a value
     * held at a bound does not move when the input moves a little.
     */
    static Tensor clamp(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: " + Shape.toString(x.shape()) + ": bounds [" + lo
                    + ", " + hi + "] are not ordered, expected lo <= hi");
        }
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.min(Math.max(xs[i], lo), hi);
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = xs[i] > lo && xs[i] < hi ? g[i] : 0f;
            }
            x.addToGrad(g);
        }, x);
    }
}
