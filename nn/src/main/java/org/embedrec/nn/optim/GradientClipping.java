package org.embedrec.nn.optim;

import java.util.List;
import java.util.Objects;
import org.embedrec.engine.RowSparseGradient;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;

/**
 * Clipping by global norm: when the Euclidean norm of all gradients together,
 * {@code sqrt(sum over parameters of ||g||^2)}, exceeds {@code maxNorm}, every gradient is
 * scaled by {@code maxNorm / norm}, which keeps their direction (Pascanu et al. 2013;
 * TensorFlow's {@code clip_by_global_norm}).
 *
 * <p>A sparse parameter contributes its touched rows; duplicate ids are already coalesced in
 * its row gradient, so the norm equals that of the equivalent dense gradient. Squares are
 * summed in double.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /** The global norm of the gradients of {@code parameters}; 0 when none has a gradient. */
    public static double globalNorm(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        double sum = 0;
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = parameters.get(i);
            if (!p.hasGradient()) {
                continue;
            }
            Tensor value = p.value();
            if (p.isSparse()) {
                RowSparseGradient rg = value.rowGradient();
                sum += sumOfSquares(rg.values(), rg.rowCount() * rg.width());
            } else {
                float[] g = value.grad();
                sum += sumOfSquares(g, g.length);
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales the gradients of {@code parameters} in place so that their global norm is at most
     * {@code maxNorm}; does nothing when it already is. Returns the norm before clipping. A
     * non-finite norm leaves the gradients as they are, so the caller can see it and stop.
     */
    public static double clipByGlobalNorm(List<Parameter> parameters, float maxNorm) {
        if (!(maxNorm > 0f) || Float.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and > 0, got " + maxNorm);
        }
        double norm = globalNorm(parameters);
        if (!(norm > maxNorm) || !Double.isFinite(norm)) {
            return norm;
        }
        float scale = (float) (maxNorm / norm);
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = parameters.get(i);
            if (!p.hasGradient()) {
                continue;
            }
            Tensor value = p.value();
            if (p.isSparse()) {
                RowSparseGradient rg = value.rowGradient();
                scale(rg.values(), rg.rowCount() * rg.width(), scale);
            } else {
                float[] g = value.grad();
                scale(g, g.length, scale);
            }
        }
        return norm;
    }

    private static double sumOfSquares(float[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i];
            s += x * x;
        }
        return s;
    }

    private static void scale(float[] a, int n, float factor) {
        for (int i = 0; i < n; i++) {
            a[i] *= factor;
        }
    }
}
