package org.embedrec.features;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What adapting one feature's preprocessing needs of its raw values, gathered where the values
 * are (each partition of a Spark data frame, say) and merged, so that a cluster adapts the
 * encoder without bringing its rows together ({@link FeatureEncoder#adapt(FeatureSpec, Map)}):
 * <ul>
 *   <li>ids, lists and text: each distinct value (trimmed id, list entry, whole text) with its
 *       count. A vocabulary is ordered by count, then by value, so counts give exactly the
 *       vocabulary the values give one by one;</li>
 *   <li>numbers and timestamps: the count, mean and sum of squared deviations of the values
 *       present (Welford's update, value by value, as {@link Normalization.Builder}; parts merged by
 *       Chan et al.'s rule, so the bits are {@code Normalization}'s on one part and agree to
 *       rounding on several), the minimum and maximum; and for quantile buckets only, each
 *       distinct value with its count (a value per distinct number: the one statistic whose size
 *       grows with the data);</li>
 *   <li>hashed features: nothing (hashing learns nothing).</li>
 * </ul>
 * Not thread-safe; merge the parts in a fixed order (partition order) for reproducible bits.
 */
public final class FeatureStatistics implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String feature;
    private final HashMap<String, Long> counts;
    private final boolean numeric;
    private final TreeMap<Double, Long> numbers;
    private long present;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    private FeatureStatistics(String feature, boolean counts, boolean numeric, boolean keepNumbers) {
        this.feature = feature;
        this.counts = counts ? new HashMap<>() : null;
        this.numeric = numeric;
        this.numbers = keepNumbers ? new TreeMap<>() : null;
    }

    /** Empty statistics of feature {@code f}, gathering what its kind and settings need. */
    public static FeatureStatistics of(FeatureDefinition f) {
        boolean hashed = (f.kind() == FeatureKind.STRING || f.kind() == FeatureKind.INTEGER) && f.hashBins() > 0;
        boolean numeric = f.kind().numeric();
        FeatureDefinition.Discretize d = f.discretize();
        boolean quantiles = numeric && d != null && d.boundaries() == null
                && !FeatureDefinition.Discretize.LINSPACE.equals(d.method())
                && !FeatureDefinition.Discretize.EQUAL_WIDTH.equals(d.method());
        return new FeatureStatistics(f.name(), !hashed && !numeric, numeric, quantiles);
    }

    /**
     * Adds one raw value of {@code f} (the feature these statistics were made for); {@code where}
     * names it in an error ("training row 12").
     */
    public FeatureStatistics add(FeatureDefinition f, String value, String where) {
        if (!f.name().equals(feature)) {
            throw new IllegalArgumentException("statistics of feature '" + feature + "' given a value of '" + f.name()
                    + "'");
        }
        if (value == null) {
            throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column() + "'): " + where
                    + " is null; expected a value (blank for a missing one)");
        }
        if (numeric) {
            double x = RawValues.number(f, value, where);
            if (!Double.isNaN(x)) {
                addNumber(x);
            }
        } else if (counts != null) {
            switch (f.kind()) {
                case STRING -> count(value.trim(), 1);
                case INTEGER -> count(Integer.toString(RawValues.integer(f, value, where)), 1);
                case TEXT -> count(value, 1);
                case LIST -> {
                    for (String e : RawValues.entries(value, f.separator())) {
                        count(e, 1);
                    }
                }
                default -> throw new IllegalStateException("unknown kind " + f.kind());
            }
        }
        return this;
    }

    private void count(String value, long n) {
        counts.merge(value, n, Long::sum);
    }

    private void addNumber(double x) {
        present++;
        double delta = x - mean;
        mean += delta / present;
        m2 += delta * (x - mean);
        min = Math.min(min, x);
        max = Math.max(max, x);
        if (numbers != null) {
            numbers.merge(x == 0.0 ? 0.0 : x, 1L, Long::sum);
        }
    }

    /** Folds in {@code later}'s values (statistics of the same feature), as if they followed these. */
    public FeatureStatistics merge(FeatureStatistics later) {
        if (!later.feature.equals(feature)) {
            throw new IllegalArgumentException("cannot merge statistics of feature '" + later.feature + "' into '"
                    + feature + "'");
        }
        if (counts != null) {
            later.counts.forEach(this::count);
        }
        if (numeric && later.present > 0) {
            if (present == 0) {
                // Taken as they are: the combination rule would round a lone part's mean.
                mean = later.mean;
                m2 = later.m2;
            } else {
                long n = present + later.present;
                double delta = later.mean - mean;
                mean += delta * later.present / n;
                m2 += later.m2 + delta * delta * ((double) present * later.present / n);
            }
            present += later.present;
            min = Math.min(min, later.min);
            max = Math.max(max, later.max);
            if (numbers != null) {
                later.numbers.forEach((x, c) -> numbers.merge(x, c, Long::sum));
            }
        }
        return this;
    }

    /** The feature these statistics are of. */
    public String feature() {
        return feature;
    }

    /** Distinct values with their counts (ids, list entries, texts); empty for numbers and hashed features. */
    Map<String, Long> counts() {
        return counts == null ? Map.of() : counts;
    }

    /** How many values were present (not blank): numbers only. */
    long present() {
        return present;
    }

    Normalization normalization() {
        return Normalization.of(new double[] {mean}, new double[] {Math.max(0.0, m2 / present)});
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** Quantile buckets of the values present. */
    Discretization quantiles(int numBins) {
        double[] distinct = new double[numbers.size()];
        long[] n = new long[distinct.length];
        int j = 0;
        for (Map.Entry<Double, Long> e : numbers.entrySet()) {
            distinct[j] = e.getKey();
            n[j++] = e.getValue();
        }
        return Discretization.quantiles(distinct, n, numBins);
    }
}
