package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Standardises each of {@code features} columns: {@code (x - mean) / sqrt(variance)}, as Keras'
 * {@code Normalization}. The mean and the population variance (divided by n) are adapted in
 * {@code double} with Welford's update, so that timestamps near 1e9 seconds lose no precision,
 * and batches from several workers combine exactly with {@link Builder#merge}.
 *
 * <p>A column whose standard deviation is below {@link #EPSILON} (a constant column) is only
 * centred, not scaled (scale 1, as scikit-learn does), so it maps to 0 instead of blowing up.
 * Inputs are rows of {@code features} values, flat and row-major; outputs are {@code float}.
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code mean}, {@code variance} (arrays of
 * numbers, one per feature).
 */
public final class Normalization implements PreprocessingLayer {
    static final String TYPE = "Normalization";
    /** Standard deviations below this are treated as zero. */
    public static final double EPSILON = 1e-7;

    private final double[] mean;
    private final double[] variance;
    private final double[] scale;

    private Normalization(double[] mean, double[] variance) {
        if (mean.length == 0 || mean.length != variance.length) {
            throw new IllegalArgumentException("Normalization: mean has " + mean.length + " entries and variance "
                    + variance.length + ", expected the same positive number");
        }
        this.scale = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("Normalization: mean of feature " + i + " is " + mean[i]);
            }
            if (!Double.isFinite(variance[i]) || variance[i] < 0) {
                throw new IllegalArgumentException("Normalization: variance of feature " + i + " is " + variance[i]
                        + ", expected finite and >= 0");
            }
            double std = Math.sqrt(variance[i]);
            scale[i] = std < EPSILON ? 1.0 : 1.0 / std;
        }
        this.mean = mean;
        this.variance = variance;
    }

    /** A layer with given per-feature mean and variance. */
    public static Normalization of(double[] mean, double[] variance) {
        return new Normalization(mean.clone(), variance.clone());
    }

    /** A builder adapting one feature. */
    public static Builder builder() {
        return new Builder(1);
    }

    /** A builder adapting {@code features} columns. */
    public static Builder builder(int features) {
        return new Builder(features);
    }

    public int features() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] variance() {
        return variance.clone();
    }

    /** The normalised value of a single-feature layer. */
    public float normalize(double x) {
        if (mean.length != 1) {
            throw new IllegalStateException("Normalization: normalize(double) needs 1 feature, this layer has "
                    + mean.length + "; use transform");
        }
        return (float) ((x - mean[0]) * scale[0]);
    }

    /** Normalises rows of {@link #features()} values into {@code out}; {@code out} may be longer. */
    public void transform(double[] values, float[] out) {
        int f = check(values.length, out.length);
        for (int i = 0; i < values.length; i++) {
            int j = i % f;
            out[i] = (float) ((values[i] - mean[j]) * scale[j]);
        }
    }

    public void transform(float[] values, float[] out) {
        int f = check(values.length, out.length);
        for (int i = 0; i < values.length; i++) {
            int j = i % f;
            out[i] = (float) ((values[i] - mean[j]) * scale[j]);
        }
    }

    public void transform(long[] values, float[] out) {
        int f = check(values.length, out.length);
        for (int i = 0; i < values.length; i++) {
            int j = i % f;
            out[i] = (float) ((values[i] - mean[j]) * scale[j]);
        }
    }

    public float[] transform(double[] values) {
        float[] out = new float[values.length];
        transform(values, out);
        return out;
    }

    public float[] transform(long[] values) {
        float[] out = new float[values.length];
        transform(values, out);
        return out;
    }

    private int check(int n, int outLength) {
        int f = mean.length;
        if (n % f != 0) {
            throw new IllegalArgumentException("Normalization: " + n + " values is not a whole number of rows of "
                    + f + " features");
        }
        if (outLength < n) {
            throw new IllegalArgumentException("Normalization: output has " + outLength + " elements for " + n
                    + " values");
        }
        return f;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("mean", LayerJson.doubles(mean));
        node.set("variance", LayerJson.doubles(variance));
        return node;
    }

    public static Normalization fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        double[] mean = LayerJson.doubleArray(node, "mean", TYPE);
        double[] variance = LayerJson.doubleArray(node, "variance", TYPE);
        try {
            return new Normalization(mean, variance);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization other && Arrays.equals(mean, other.mean)
                && Arrays.equals(variance, other.variance);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(variance);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", variance=" + Arrays.toString(variance) + "]";
    }

    /** Running count, mean and sum of squared deviations per feature (Welford); not thread-safe. */
    public static final class Builder {
        private final int features;
        private long count;
        private final double[] mean;
        private final double[] m2;

        private Builder(int features) {
            if (features < 1) {
                throw new IllegalArgumentException("Normalization: features must be >= 1, got " + features);
            }
            this.features = features;
            this.mean = new double[features];
            this.m2 = new double[features];
        }

        /** Adds rows of {@code features} values (flat, row-major). */
        public Builder adapt(double[] batch) {
            checkRows(batch.length);
            for (int i = 0; i < batch.length; i++) {
                if (!Double.isFinite(batch[i])) {
                    throw new IllegalArgumentException("Normalization.adapt: value at position " + i + " is " + batch[i]);
                }
            }
            for (int r = 0; r < batch.length; r += features) {
                count++;
                for (int j = 0; j < features; j++) {
                    add(j, batch[r + j]);
                }
            }
            return this;
        }

        public Builder adapt(float[] batch) {
            double[] d = new double[batch.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = batch[i];
            }
            return adapt(d);
        }

        public Builder adapt(long[] batch) {
            checkRows(batch.length);
            for (int r = 0; r < batch.length; r += features) {
                count++;
                for (int j = 0; j < features; j++) {
                    add(j, batch[r + j]);
                }
            }
            return this;
        }

        private void add(int j, double x) {
            double delta = x - mean[j];
            mean[j] += delta / count;
            m2[j] += delta * (x - mean[j]);
        }

        /** Folds in another builder's data (Chan et al.'s parallel combination of mean and variance). */
        public Builder merge(Builder other) {
            if (other.features != features) {
                throw new IllegalArgumentException("Normalization: cannot merge " + other.features + " features into "
                        + features);
            }
            if (other.count == 0) {
                return this;
            }
            long n = count + other.count;
            for (int j = 0; j < features; j++) {
                double delta = other.mean[j] - mean[j];
                mean[j] += delta * other.count / n;
                m2[j] += other.m2[j] + delta * delta * ((double) count * other.count / n);
            }
            count = n;
            return this;
        }

        private void checkRows(int n) {
            if (n % features != 0) {
                throw new IllegalArgumentException("Normalization.adapt: " + n + " values is not a whole number of rows of "
                        + features + " features");
            }
        }

        public Normalization build() {
            if (count == 0) {
                throw new IllegalStateException("Normalization: no values adapted");
            }
            double[] variance = new double[features];
            for (int j = 0; j < features; j++) {
                variance[j] = Math.max(0.0, m2[j] / count);
            }
            return new Normalization(mean.clone(), variance);
        }
    }
}
