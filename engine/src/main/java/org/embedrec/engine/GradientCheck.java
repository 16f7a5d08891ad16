package org.embedrec.engine;

import java.util.List;
import java.util.function.Function;

/**
 * Checks an op's or layer's backward rule against central finite differences.
 *
 * <p>The function's output is reduced to the scalar {@code sum(w * f(x))} with fixed random
 * weights {@code w}, so every entry of the Jacobian takes part. The numeric derivative uses a
 * step of {@code eps * max(1, |x|)} and is evaluated in double from float outputs, so the
 * comparison tolerance must allow for float32 rounding: an entry passes when
 * {@code |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)}.
 */
public final class GradientCheck {
    private final double eps;
    private final double atol;
    private final double rtol;

    /** Defaults suited to float32 ops with outputs of order 1: eps 1e-2, atol 2e-3, rtol 2e-2. */
    public GradientCheck() {
        this(1e-2, 2e-3, 2e-2);
    }

    public GradientCheck(double eps, double atol, double rtol) {
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** One disagreement between the backward rule and the finite difference. */
    public record Mismatch(int input, int index, double analytic, double numeric) {
        @Override
        public String toString() {
            return "input " + input + " element " + index + ": backward gives " + analytic
                    + ", finite difference gives " + numeric;
        }
    }

    /**
     * Runs the check and throws {@link AssertionError} describing the first mismatch. Inputs
     * that do not require a gradient are held constant.
     */
    public void check(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed) {
        Mismatch m = firstMismatch(f, inputs, seed);
        if (m != null) {
            throw new AssertionError("gradient check failed: " + m);
        }
    }

    /** The first mismatch, or null when the backward rule agrees everywhere. */
    public Mismatch firstMismatch(Function<List<Tensor>, Tensor> f, List<Tensor> inputs, long seed) {
        Tensor probe = f.apply(inputs);
        float[] weights = new float[probe.size()];
        Rng rng = new Rng(seed);
        for (int i = 0; i < weights.length; i++) {
            weights[i] = rng.uniform(-1f, 1f);
        }
        for (Tensor in : inputs) {
            in.dropGrad();
        }
        try (GradientTape tape = GradientTape.open()) {
            Tensor out = f.apply(inputs);
            Tensor loss = Ops.sum(Ops.mul(out, Tensor.wrap(weights, out.shape())));
            tape.backward(loss);
        }
        for (int t = 0; t < inputs.size(); t++) {
            Tensor in = inputs.get(t);
            if (!in.requiresGrad()) {
                continue;
            }
            float[] analytic = in.hasSparseGradient()
                    ? in.rowGradient().toDense(in.dim(0))
                    : in.grad();
            float[] x = in.data();
            for (int i = 0; i < x.length; i++) {
                float saved = x[i];
                double h = eps * Math.max(1.0, Math.abs(saved));
                x[i] = (float) (saved + h);
                double hiStep = x[i] - saved;
                double up = weighted(f.apply(inputs), weights);
                x[i] = (float) (saved - h);
                double loStep = saved - x[i];
                double down = weighted(f.apply(inputs), weights);
                x[i] = saved;
                double numeric = (up - down) / (hiStep + loStep);
                double a = analytic == null ? 0.0 : analytic[i];
                if (Math.abs(a - numeric) > atol + rtol * Math.max(Math.abs(a), Math.abs(numeric))) {
                    return new Mismatch(t, i, a, numeric);
                }
            }
        }
        return null;
    }

    private static double weighted(Tensor out, float[] weights) {
        float[] o = out.data();
        double s = 0;
        for (int i = 0; i < o.length; i++) {
            s += (double) o[i] * weights[i];
        }
        return s;
    }
}
