package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;

import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;

/** Parameters with gradients set by hand, and a tolerance for hand-computed expectations. */
final class OptimTesting {
    private OptimTesting() {}

    static Parameter dense(String name, float... values) {
        return new Parameter(name, Tensor.of(values, values.length));
    }

    static Parameter denseTable(String name, int rows, int width, float[] values) {
        return new Parameter(name, Tensor.of(values, rows, width));
    }

    static Parameter sparseTable(String name, int rows, int width, float[] values) {
        return new Parameter(name, Tensor.of(values, rows, width).sparseGradient(true));
    }

    /** Overwrites the dense gradient of {@code p}. */
    static void setGrad(Parameter p, float... g) {
        System.arraycopy(g, 0, p.value().gradBuffer(), 0, g.length);
    }

    /** Accumulates {@code g} into row {@code row} of a sparse table's gradient. */
    static void addRowGrad(Parameter p, int row, float... g) {
        p.value().rowGradient().accumulate(row, g, 0);
    }

    /** Within 1e-6 relative of {@code expected} (absolute below magnitude 1e-2). */
    static void assertClose(float actual, double expected) {
        double tolerance = 1e-6 * Math.max(Math.abs(expected), 1e-2);
        assertThat((double) actual)
                .as("expected %s, got %s", expected, actual)
                .isCloseTo(expected, org.assertj.core.api.Assertions.within(tolerance));
    }

    static float[] row(Parameter p, int row) {
        int width = p.value().dim(1);
        float[] out = new float[width];
        System.arraycopy(p.value().data(), row * width, out, 0, width);
        return out;
    }
}
