package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The vector form of {@link PolynomialExp} gives the scalar form's bits lane by lane: the clamp
 * (compare and blend in the vector form, min and max in the scalar one) included, at and around
 * both bounds, on signed zeros, infinities, NaN and random bit patterns.
 */
class PolynomialExpTest {
    private static final int L = RegisterTile.L;

    @Test
    void vectorFormGivesTheScalarFormsBits() {
        SplittableRandom random = new SplittableRandom(17);
        float[] edges = {-104f, Math.nextDown(-104f), Math.nextUp(-104f), 89f, Math.nextDown(89f), Math.nextUp(89f),
                -1e30f, 1e30f, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0xffc00001), Float.MIN_VALUE, -Float.MAX_VALUE, -87.5f, -88.7f, 88.7f, -150f};
        float[] x = new float[L * 4096];
        for (int i = 0; i < x.length; i++) {
            if (i < edges.length) {
                x[i] = edges[i];
            } else if (i % 2 == 0) {
                x[i] = Float.intBitsToFloat(random.nextInt());
            } else {
                x[i] = (float) (random.nextDouble() * 220 - 120);
            }
        }
        float[] out = new float[L];
        for (int i = 0; i < x.length; i += L) {
            PolynomialExp.exp(FloatVector.fromArray(RegisterTile.F, x, i)).intoArray(out, 0);
            for (int lane = 0; lane < L; lane++) {
                float want = PolynomialExp.exp(x[i + lane]);
                if (Float.isNaN(want)) {
                    assertThat(out[lane]).as("exp(%s)", x[i + lane]).isNaN();
                } else {
                    assertThat(Float.floatToRawIntBits(out[lane])).as("exp(%s)", x[i + lane])
                            .isEqualTo(Float.floatToRawIntBits(want));
                }
            }
        }
    }
}
