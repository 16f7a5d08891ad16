package org.embedrec.nn;

import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;

/**
 * Fills a new weight tensor. Fans follow Keras: for a 2-D {@code [in, out]} kernel, fan-in is
 * {@code in} and fan-out is {@code out}. The Glorot (Xavier) and He (Kaiming) scales are
 * {@code 2 / (fanIn + fanOut)} and {@code 2 / fanIn}; a uniform variant draws from
 * {@code [-sqrt(3 s), sqrt(3 s)]}, a normal one from {@code N(0, s)} truncated at two standard
 * deviations, as Keras does.
 */
@FunctionalInterface
public interface Initializer {

    void fill(float[] values, int fanIn, int fanOut, Rng rng);

    /** A new tensor of {@code shape}, filled by this initializer, fans read from the shape. */
    default Tensor create(Rng rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int fanIn = shape.length >= 2 ? shape[shape.length - 2] : shape.length == 1 ? shape[0] : 1;
        int fanOut = shape.length >= 1 ? shape[shape.length - 1] : 1;
        fill(t.data(), fanIn, fanOut, rng);
        return t;
    }

    static Initializer zeros() {
        return (v, fanIn, fanOut, rng) -> java.util.Arrays.fill(v, 0f);
    }

    static Initializer constant(float c) {
        return (v, fanIn, fanOut, rng) -> java.util.Arrays.fill(v, c);
    }

    static Initializer uniform(float lo, float hi) {
        return (v, fanIn, fanOut, rng) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.uniform(lo, hi);
            }
        };
    }

    static Initializer normal(double stddev) {
        return (v, fanIn, fanOut, rng) -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (stddev * rng.nextGaussian());
            }
        };
    }

    static Initializer glorotUniform() {
        return (v, fanIn, fanOut, rng) -> scaledUniform(v, 2.0 / (fanIn + fanOut), rng);
    }

    static Initializer glorotNormal() {
        return (v, fanIn, fanOut, rng) -> truncatedNormal(v, 2.0 / (fanIn + fanOut), rng);
    }

    static Initializer heUniform() {
        return (v, fanIn, fanOut, rng) -> scaledUniform(v, 2.0 / fanIn, rng);
    }

    static Initializer heNormal() {
        return (v, fanIn, fanOut, rng) -> truncatedNormal(v, 2.0 / fanIn, rng);
    }

    /**
     * A random orthogonal matrix {@code [fanIn, fanOut]}, as Keras's {@code Orthogonal} (the
     * default for recurrent kernels, whose repeated products then neither blow up nor vanish at
     * first): orthonormal rows when {@code fanIn <= fanOut}, else orthonormal columns, from a
     * standard normal matrix by modified Gram-Schmidt in double.
     */
    static Initializer orthogonal() {
        return (v, fanIn, fanOut, rng) -> {
            boolean rows = fanIn <= fanOut;
            int count = rows ? fanIn : fanOut;
            int length = rows ? fanOut : fanIn;
            double[][] q = new double[count][length];
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < length; j++) {
                    q[i][j] = rng.nextGaussian();
                }
                for (int p = 0; p < i; p++) {
                    double dot = 0;
                    for (int j = 0; j < length; j++) {
                        dot += q[i][j] * q[p][j];
                    }
                    for (int j = 0; j < length; j++) {
                        q[i][j] -= dot * q[p][j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < length; j++) {
                    norm += q[i][j] * q[i][j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < length; j++) {
                    q[i][j] /= norm;
                }
            }
            for (int i = 0; i < count; i++) {
                for (int j = 0; j < length; j++) {
                    v[rows ? i * fanOut + j : j * fanOut + i] = (float) q[i][j];
                }
            }
        };
    }

    private static void scaledUniform(float[] v, double variance, Rng rng) {
        float limit = (float) Math.sqrt(3.0 * variance);
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.uniform(-limit, limit);
        }
    }

    private static void truncatedNormal(float[] v, double variance, Rng rng) {
        // 0.8796... is the standard deviation of a unit normal truncated to [-2, 2]; dividing
        // by it keeps the requested variance, as Keras's VarianceScaling does.
        double stddev = Math.sqrt(variance) / 0.87962566103423978;
        for (int i = 0; i < v.length; i++) {
            double g;
            do {
                g = rng.nextGaussian();
            } while (g < -2.0 || g > 2.0);
            v[i] = (float) (stddev * g);
        }
    }
}
