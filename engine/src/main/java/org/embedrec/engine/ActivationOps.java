package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Activations: the element-wise relu, sigmoid, softplus and tanh, and softmax and log-softmax over the
 * last axis. Each backward rule uses the forward output where that is cheaper than the input,
 * and turns the output's gradient into the input's in place, handing the array on
 * ({@link Tensor#addToGrad}) instead of allocating another.
 */
final class ActivationOps {
    private ActivationOps() {}

    /** {@code max(x, 0)}; the gradient passes where {@code x > 0}. */
    static Tensor relu(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        Kernels kern = Kernels.get();
        kern.relu(xs, 0, out.data(), 0, xs.length);
        return GradientTape.record(out, g -> {
            // Branch-free: with inputs of random sign a branch per element mispredicts half the time.
            kern.reluMask(xs, 0, g, 0, g.length);
            x.addToGrad(g);
        }, x);
    }

    /** {@code 1 / (1 + exp(-x))}; {@code dy/dx = y (1 - y)}. */
    static Tensor sigmoid(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = sigmoid(xs[i]);
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] * y[i] * (1f - y[i]);
            }
            x.addToGrad(g);
        }, x);
    }

    /**
     * The logistic function without overflow: {@code exp} is only ever taken of a non-positive
     * number, so for large {@code |x|} the result saturates to 0 or 1 instead of becoming NaN.
     */
    static float sigmoid(float x) {
        if (x >= 0f) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    /**
     * {@code log(1 + exp(x))}, written as {@code max(x, 0) + log(1 + exp(-|x|))}, whose exponent is
     * never positive: finite for every finite {@code x} where the literal form overflows from
     * {@code x > 88}, and {@code log1p} keeps the tail exact where {@code exp(-|x|)} is tiny.
     * {@code dy/dx = sigmoid(x)}.
     */
    static Tensor softplus(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            float xi = xs[i];
            y[i] = (float) (Math.max(xi, 0f) + Math.log1p(Math.exp(-Math.abs(xi))));
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] * sigmoid(xs[i]);
            }
            x.addToGrad(g);
        }, x);
    }

    /** Hyperbolic tangent; {@code dy/dx = 1 - y^2}. */
    static Tensor tanh(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.tanh(xs[i]);
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] * (1f - y[i] * y[i]);
            }
            x.addToGrad(g);
        }, x);
    }

    /**
     * Softmax over the last axis. The row maximum is subtracted before {@code exp}, which leaves
     * the result unchanged and keeps every exponent at most 0. Backward, for a row:
     * {@code dx = y * (g - sum(g * y))}.
     */
    static Tensor softmax(Tensor x) {
        int d = lastDim("softmax", x);
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int base = 0; base < y.length; base += d) {
            float max = rowMax(xs, base, d);
            double total = 0;
            for (int j = base; j < base + d; j++) {
                float e = (float) Math.exp(xs[j] - max);
                y[j] = e;
                total += e;
            }
            float inv = (float) (1.0 / total);
            for (int j = base; j < base + d; j++) {
                y[j] *= inv;
            }
        }
        return GradientTape.record(out, g -> {
            for (int base = 0; base < g.length; base += d) {
                double gy = 0;
                for (int j = base; j < base + d; j++) {
                    gy += g[j] * y[j];
                }
                float s = (float) gy;
                for (int j = base; j < base + d; j++) {
                    g[j] = y[j] * (g[j] - s);
                }
            }
            x.addToGrad(g);
        }, x);
    }

    /**
     * {@code x - logsumexp(x)} over the last axis, with {@code logsumexp(x) = m + log(sum(exp(x - m)))}
     * for the row maximum {@code m}: finite for any finite logits. Backward, for a row:
     * {@code dx = g - softmax(x) * sum(g)}, with {@code softmax(x) = exp(y)}.
     */
    static Tensor logSoftmax(Tensor x) {
        int d = lastDim("logSoftmax", x);
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int base = 0; base < y.length; base += d) {
            float max = rowMax(xs, base, d);
            double total = 0;
            for (int j = base; j < base + d; j++) {
                total += Math.exp(xs[j] - max);
            }
            float logTotal = (float) Math.log(total);
            for (int j = base; j < base + d; j++) {
                y[j] = (xs[j] - max) - logTotal;
            }
        }
        return GradientTape.record(out, g -> {
            for (int base = 0; base < g.length; base += d) {
                double gs = 0;
                for (int j = base; j < base + d; j++) {
                    gs += g[j];
                }
                float s = (float) gs;
                for (int j = base; j < base + d; j++) {
                    g[j] = g[j] - (float) Math.exp(y[j]) * s;
                }
            }
            x.addToGrad(g);
        }, x);
    }

    /** The size of the last axis of {@code x}, which must exist and be non-empty. */
    static int lastDim(String op, Tensor x) {
        if (x.rank() == 0 || x.dim(-1) == 0) {
            throw new IllegalArgumentException(op + ": " + Shape.toString(x.shape())
                    + ": expected a tensor with a non-empty last axis");
        }
        return x.dim(-1);
    }

    static float rowMax(float[] xs, int base, int d) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = base; j < base + d; j++) {
            max = Math.max(max, xs[j]);
        }
        return max;
    }
}
