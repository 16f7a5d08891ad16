package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * Buckets continuous values by sorted boundaries, as Keras' {@code Discretization}: with
 * boundaries {@code b_0 < b_1 < ... < b_{n-1}}, value x goes to bucket 0 if {@code x < b_0},
 * to bucket i if {@code b_{i-1} <= x < b_i}, and to bucket n if {@code x >= b_{n-1}}; there
 * are {@link #numBins()} = n + 1 buckets. Values are compared as {@code double}, so timestamps
 * in seconds (about 1e9, beyond float precision) bucket exactly; {@code long} inputs are exact up
 * to 2^53. NaN is rejected.
 *
 * <p>Boundaries come from one of three places:
 * <ul>
 *   <li>{@link #withBoundaries(double...)}: given explicitly. The TensorFlow Recommenders
 *       tutorial's {@code np.linspace(min, max, 1000)} boundaries (1001 buckets) are reproduced
 *       by passing those 1000 values here.
 *   <li>{@link #equalWidth(double, double, int)}: {@code numBins} buckets of equal width covering
 *       [min, max]; boundaries {@code min + (max - min) * i / numBins} for i = 1 .. numBins-1.
 *       Values below min fall in bucket 0, values at or above max in bucket numBins-1.
 *   <li>{@link #builder(int)}: quantiles of the adapted data, exactly (all values are kept). With
 *       the m adapted values sorted ascending as s, boundary i is {@code s[floor(i * m / numBins)]}
 *       (0-based) for i = 1 .. numBins-1, so each bucket receives m/numBins values when they are
 *       distinct. A boundary that repeats the one before it or equals the minimum would make a
 *       bucket no training value reaches and is dropped, so with many tied values
 *       {@link #numBins()} can be less than asked.
 * </ul>
 *
 * <p><b>JSON</b> (see {@link PreprocessingLayer}): {@code boundaries} (array of numbers; written
 * with full double precision).
 */
public final class Discretization implements PreprocessingLayer {
    static final String TYPE = "Discretization";

    private final double[] boundaries;

    private Discretization(double[] boundaries) {
        for (int i = 0; i < boundaries.length; i++) {
            if (!Double.isFinite(boundaries[i])) {
                throw new IllegalArgumentException("Discretization: boundary " + i + " is " + boundaries[i]
                        + ", expected a finite number");
            }
            if (i > 0 && !(boundaries[i] > boundaries[i - 1])) {
                throw new IllegalArgumentException("Discretization: boundaries must be strictly increasing, but boundary "
                        + i + " (" + boundaries[i] + ") <= boundary " + (i - 1) + " (" + boundaries[i - 1] + ")");
            }
        }
        this.boundaries = boundaries;
    }

    /** Buckets by explicit, strictly increasing, finite boundaries (possibly none: one bucket). */
    public static Discretization withBoundaries(double... boundaries) {
        return new Discretization(boundaries.clone());
    }

    /**
     * {@code np.linspace(min, max, count)} as boundaries: {@code min + i * (max - min) / (count - 1)},
     * the last exactly {@code max}, as the TensorFlow Recommenders tutorial buckets timestamps
     * ({@code count + 1} buckets; bucket 0 holds only values below {@code min}). A boundary that
     * rounding makes equal to the one before it (a range of a few units at a large magnitude) is
     * dropped; with {@code min == max} or {@code count == 1} there is one boundary, {@code max}.
     */
    public static Discretization linspace(double min, double max, int count) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("Discretization.linspace: expected finite min <= max, got min " + min
                    + ", max " + max);
        }
        if (count < 1) {
            throw new IllegalArgumentException("Discretization.linspace: count must be >= 1, got " + count);
        }
        double[] b = new double[count];
        double step = (max - min) / (count - 1);
        int kept = 0;
        for (int i = 0; i < count; i++) {
            double v = i == count - 1 ? max : min + i * step;
            if (kept == 0 || v > b[kept - 1]) {
                b[kept++] = v;
            }
        }
        return new Discretization(java.util.Arrays.copyOf(b, kept));
    }

    /** {@code numBins} equal-width buckets covering [min, max]; see the class comment. */
    public static Discretization equalWidth(double min, double max, int numBins) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("Discretization.equalWidth: expected finite min < max, got min " + min
                    + ", max " + max);
        }
        if (numBins < 1) {
            throw new IllegalArgumentException("Discretization.equalWidth: numBins must be >= 1, got " + numBins);
        }
        double range = max - min;
        double[] b = new double[numBins - 1];
        for (int i = 1; i < numBins; i++) {
            b[i - 1] = min + range * i / numBins;
        }
        return new Discretization(b);
    }

    /** A builder that adapts quantile boundaries for {@code numBins} buckets. */
    public static Builder builder(int numBins) {
        return new Builder(numBins);
    }

    /** Number of buckets: boundaries + 1. */
    public int numBins() {
        return boundaries.length + 1;
    }

    public double[] boundaries() {
        return boundaries.clone();
    }

    /** The bucket of {@code value}: the number of boundaries {@code <= value}. */
    public int bucket(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("Discretization: value is NaN");
        }
        return search(value);
    }

    private int search(double value) {
        int lo = 0;
        int hi = boundaries.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (boundaries[mid] <= value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Writes the bucket of {@code values[i]} to {@code out[i]}; {@code out} may be longer. */
    public void bucket(double[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("Discretization: value at position " + i + " is NaN");
            }
            out[i] = search(v);
        }
    }

    public void bucket(float[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                throw new IllegalArgumentException("Discretization: value at position " + i + " is NaN");
            }
            out[i] = search(v);
        }
    }

    public void bucket(long[] values, int[] out) {
        checkOutput(values.length, out);
        for (int i = 0; i < values.length; i++) {
            out[i] = search(values[i]);
        }
    }

    public int[] bucket(double[] values) {
        int[] out = new int[values.length];
        bucket(values, out);
        return out;
    }

    public int[] bucket(long[] values) {
        int[] out = new int[values.length];
        bucket(values, out);
        return out;
    }

    private static void checkOutput(int n, int[] out) {
        if (out.length < n) {
            throw new IllegalArgumentException("Discretization: output has " + out.length + " elements for " + n
                    + " values");
        }
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode node = LayerJson.header(TYPE);
        node.set("boundaries", LayerJson.doubles(boundaries));
        return node;
    }

    public static Discretization fromJson(JsonNode node) {
        LayerJson.checkHeader(node, TYPE);
        double[] boundaries = LayerJson.doubleArray(node, "boundaries", TYPE);
        try {
            return new Discretization(boundaries);
        } catch (IllegalArgumentException e) {
            throw LayerJson.invalid(TYPE, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Discretization other && Arrays.equals(boundaries, other.boundaries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(boundaries);
    }

    @Override
    public String toString() {
        return "Discretization[numBins=" + numBins() + (boundaries.length == 0 ? ""
                : ", from " + boundaries[0] + " to " + boundaries[boundaries.length - 1]) + "]";
    }

    /** Gathers values for quantile boundaries; keeps all of them (8 bytes each); not thread-safe. */
    public static final class Builder {
        private final int numBins;
        private double[] values = new double[1024];
        private int size;

        private Builder(int numBins) {
            if (numBins < 1) {
                throw new IllegalArgumentException("Discretization: numBins must be >= 1, got " + numBins);
            }
            this.numBins = numBins;
        }

        public Builder adapt(double[] batch) {
            for (int i = 0; i < batch.length; i++) {
                if (Double.isNaN(batch[i])) {
                    throw new IllegalArgumentException("Discretization.adapt: value at position " + i + " is NaN");
                }
            }
            ensure(batch.length);
            System.arraycopy(batch, 0, values, size, batch.length);
            size += batch.length;
            return this;
        }

        public Builder adapt(long[] batch) {
            ensure(batch.length);
            for (long v : batch) {
                values[size++] = v;
            }
            return this;
        }

        private void ensure(int extra) {
            if (size + extra > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + extra));
            }
        }

        public Discretization build() {
            if (size == 0) {
                throw new IllegalStateException("Discretization: no values adapted, cannot compute quantiles");
            }
            double[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            // The sorted values as distinct values with their counts, for the one quantile rule.
            double[] distinct = new double[size];
            long[] counts = new long[size];
            int d = 0;
            for (int i = 0; i < size; i++) {
                if (d > 0 && sorted[i] == distinct[d - 1]) {
                    counts[d - 1]++;
                } else {
                    distinct[d] = sorted[i];
                    counts[d++] = 1;
                }
            }
            return quantiles(Arrays.copyOf(distinct, d), Arrays.copyOf(counts, d), numBins);
        }
    }

    /**
     * The quantile buckets ({@link #builder}'s rule) of the values {@code distinct} (ascending,
     * not NaN) each occurring {@code counts[j]} times: the buckets those values would give one by
     * one, computed from counts gathered where the values are (a cluster's partitions).
     */
    public static Discretization quantiles(double[] distinct, long[] counts, int numBins) {
        if (numBins < 1) {
            throw new IllegalArgumentException("Discretization: numBins must be >= 1, got " + numBins);
        }
        if (distinct.length != counts.length || distinct.length == 0) {
            throw new IllegalArgumentException("Discretization.quantiles: " + distinct.length + " values and "
                    + counts.length + " counts; expected as many, at least one");
        }
        long size = 0;
        for (int j = 0; j < counts.length; j++) {
            if (counts[j] < 1 || Double.isNaN(distinct[j]) || (j > 0 && !(distinct[j] > distinct[j - 1]))) {
                throw new IllegalArgumentException("Discretization.quantiles: value " + j + " (" + distinct[j]
                        + ", count " + counts[j] + ") is not ascending and distinct with a positive count");
            }
            size += counts[j];
        }
        double[] b = new double[numBins - 1];
        int n = 0;
        int j = 0;
        long below = 0; // values before distinct[j] in the sorted sequence
        for (int i = 1; i < numBins; i++) {
            // The value at sorted position floor(i * size / numBins), found by walking the counts.
            long at = position(i, size, numBins);
            while (below + counts[j] <= at) {
                below += counts[j++];
            }
            double q = distinct[j];
            boolean repeats = n > 0 ? q <= b[n - 1] : q <= distinct[0];
            if (!repeats && Double.isFinite(q)) {
                b[n++] = q;
            }
        }
        return new Discretization(Arrays.copyOf(b, n));
    }

    /** {@code floor(i * size / numBins)} without overflow. */
    private static long position(int i, long size, int numBins) {
        long hi = Math.multiplyHigh(i, size);
        if (hi == 0 && i * size >= 0) {
            return i * size / numBins;
        }
        return java.math.BigInteger.valueOf(i).multiply(java.math.BigInteger.valueOf(size))
                .divide(java.math.BigInteger.valueOf(numBins)).longValueExact();
    }
}
