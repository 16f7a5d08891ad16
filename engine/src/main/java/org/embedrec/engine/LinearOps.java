package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * A dense layer's affine map, optionally followed by relu, as one op:
 * {@code y = act(x W + b)} for {@code x [m, k]}, kernel {@code W [k, n]} and bias {@code b [n]}.
 *
 * <p>Forward is one SGEMM into the output and one pass over it that adds the bias and applies
 * relu in place: one output array instead of three (product, sum, activation) and one pass
 * instead of two. Backward, with {@code dz = dy} where {@code y > 0} (relu) or {@code dz = dy}:
 * {@code db = sum over rows of dz}, {@code dW = x^T dz}, {@code dx = dz W^T}. The mask is applied
 * in place to the output's gradient, which the tape no longer needs, and the bias gradient is
 * summed from it in the same row order as the unfused add did. Every value, forward and
 * backward, is the one {@code relu(add(matmul(x, W), b))} computes, bit for bit.
 */
final class LinearOps {
    private LinearOps() {}

    /** {@code act(x W + b)}, {@code act} relu when {@code relu} else identity; {@code bias} may be null. */
    static Tensor linear(Tensor x, Tensor kernel, Tensor bias, boolean relu) {
        String op = relu ? "linearRelu" : "linear";
        if (x.rank() != 2 || kernel.rank() != 2) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(x.shape()) + ", kernel "
                    + Shape.toString(kernel.shape()) + ": both must be 2-D");
        }
        int m = x.dim(0);
        int k = x.dim(1);
        int n = kernel.dim(1);
        if (kernel.dim(0) != k) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(x.shape()) + ", kernel "
                    + Shape.toString(kernel.shape()) + ": the kernel needs " + k + " rows, one per input column");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != n)) {
            throw new IllegalArgumentException(op + ": kernel " + Shape.toString(kernel.shape()) + ", bias "
                    + Shape.toString(bias.shape()) + ": expected a bias of shape [" + n + "]");
        }
        Kernels kern = Kernels.get();
        Tensor out = Tensor.zeros(m, n);
        float[] y = out.data();
        float[] xs = x.data();
        float[] w = kernel.data();
        kern.sgemm(false, false, m, n, k, xs, 0, w, 0, y, 0, false);
        if (bias != null) {
            kern.addBias(y, 0, m, n, bias.data(), 0, relu);
        } else if (relu) {
            kern.relu(y, 0, y, 0, y.length);
        }
        GradientTape.Backward rule = g -> {
            if (relu) {
                kern.reluMask(y, 0, g, 0, g.length);
            }
            if (bias != null && bias.requiresGrad()) {
                kern.addColumnSums(g, 0, m, n, bias.gradBuffer(), 0);
            }
            if (kernel.requiresGrad()) {
                kern.sgemm(true, false, k, n, m, xs, 0, g, 0, kernel.gradBuffer(), 0, true);
            }
            if (x.requiresGrad()) {
                kern.sgemm(false, true, m, k, n, g, 0, w, 0, x.gradBuffer(), 0, true);
            }
        };
        return bias == null
                ? GradientTape.record(out, rule, x, kernel)
                : GradientTape.record(out, rule, x, kernel, bias);
    }
}
