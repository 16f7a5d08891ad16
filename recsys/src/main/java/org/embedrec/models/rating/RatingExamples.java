package org.embedrec.models.rating;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.embedrec.nn.train.Dataset;

/**
 * Rating examples held column by column, the input of every rating model: a user, an item and
 * a rating (or a 0/1 label) per example, plus the categorical and multi-valued columns its
 * {@link RatingFeatureSpec} declares. Ids are checked against the spec once, here, so batches can go
 * straight to the embedding tables.
 *
 * <pre>{@code
 * RatingFeatureSpec spec = RatingFeatureSpec.of(943, 1682).withMultiValued("genres", 19, 6);
 * RatingExamples train = new RatingExamples(spec, users, items, ratings,
 *         Map.of(), Map.of("genres", genreIds));   // genreIds: 6 per example, padded with -1
 * }</pre>
 */
public final class RatingExamples implements Dataset<RatingBatch> {
    private final RatingFeatureSpec spec;
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final int[][] categorical;
    private final int[][] multiValued;

    /**
     * Examples with every column of {@code spec}; the arrays are copied. {@code categoricalColumns}
     * maps each categorical column's name to one id per example, {@code multiValuedColumns} each
     * multi-valued column's name to {@code width} ids per example.
     *
     * @throws IllegalArgumentException naming the column and position of the first bad value
     */
    public RatingExamples(RatingFeatureSpec spec, int[] users, int[] items, float[] ratings,
                          Map<String, int[]> categoricalColumns, Map<String, int[]> multiValuedColumns) {
        this.spec = Objects.requireNonNull(spec, "spec");
        int n = Objects.requireNonNull(users, "users").length;
        requireLength("item", Objects.requireNonNull(items, "items").length, n);
        requireLength("rating", Objects.requireNonNull(ratings, "ratings").length, n);
        checkIds(RatingFeatureSpec.USER, users, spec.numUsers(), false);
        checkIds(RatingFeatureSpec.ITEM, items, spec.numItems(), false);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(ratings[i])) {
                throw new IllegalArgumentException("rating at position " + i + " is " + ratings[i]
                        + ", expected a finite number");
            }
        }
        checkNames("categorical", categoricalColumns.keySet(),
                spec.categorical().stream().map(RatingFeatureSpec.Categorical::name).toList());
        checkNames("multi-valued", multiValuedColumns.keySet(),
                spec.multiValued().stream().map(RatingFeatureSpec.MultiValued::name).toList());
        this.categorical = new int[spec.categorical().size()][];
        for (int c = 0; c < categorical.length; c++) {
            RatingFeatureSpec.Categorical col = spec.categorical().get(c);
            int[] ids = categoricalColumns.get(col.name());
            requireLength("'" + col.name() + "'", ids.length, n);
            checkIds(col.name(), ids, col.cardinality(), false);
            this.categorical[c] = ids.clone();
        }
        this.multiValued = new int[spec.multiValued().size()][];
        for (int m = 0; m < multiValued.length; m++) {
            RatingFeatureSpec.MultiValued col = spec.multiValued().get(m);
            int[] ids = multiValuedColumns.get(col.name());
            if (ids.length != (long) n * col.width()) {
                throw new IllegalArgumentException("multi-valued column '" + col.name() + "' has " + ids.length
                        + " ids, expected " + col.width() + " per example for " + n + " examples");
            }
            checkIds(col.name(), ids, col.cardinality(), true);
            this.multiValued[m] = ids.clone();
        }
        this.users = users.clone();
        this.items = items.clone();
        this.ratings = ratings.clone();
    }

    /** Examples with users, items and ratings only; {@code spec} must declare no other column. */
    public static RatingExamples of(RatingFeatureSpec spec, int[] users, int[] items, float[] ratings) {
        return new RatingExamples(spec, users, items, ratings, Map.of(), Map.of());
    }

    public RatingFeatureSpec spec() {
        return spec;
    }

    @Override
    public int size() {
        return users.length;
    }

    /** User of example {@code i}. */
    public int user(int i) {
        return users[i];
    }

    /** Item of example {@code i}. */
    public int item(int i) {
        return items[i];
    }

    /** Rating (or label) of example {@code i}. */
    public float rating(int i) {
        return ratings[i];
    }

    /** A copy of the ratings. */
    public float[] ratings() {
        return ratings.clone();
    }

    /** Mean rating, computed in double; NaN when empty. */
    public double meanRating() {
        double s = 0;
        for (float r : ratings) {
            s += r;
        }
        return ratings.length == 0 ? Double.NaN : s / ratings.length;
    }

    /** Smallest rating; NaN when empty. */
    public float minRating() {
        float m = Float.NaN;
        for (float r : ratings) {
            m = Float.isNaN(m) ? r : Math.min(m, r);
        }
        return m;
    }

    /** Largest rating; NaN when empty. */
    public float maxRating() {
        float m = Float.NaN;
        for (float r : ratings) {
            m = Float.isNaN(m) ? r : Math.max(m, r);
        }
        return m;
    }

    /** The examples at {@code indices}, in that order, under the same spec. */
    public RatingExamples subset(int[] indices) {
        RatingBatch b = batch(indices, 0, indices.length);
        return new RatingExamples(spec, b.users(), b.items(), b.ratings(), b.categorical(), b.multiValued());
    }

    @Override
    public RatingBatch batch(int[] indices, int from, int to) {
        Objects.checkFromToIndex(from, to, indices.length);
        int n = to - from;
        int[] u = new int[n];
        int[] it = new int[n];
        float[] r = new float[n];
        for (int k = 0; k < n; k++) {
            int i = indices[from + k];
            u[k] = users[i];
            it[k] = items[i];
            r[k] = ratings[i];
        }
        int[][] cat = new int[categorical.length][];
        for (int c = 0; c < cat.length; c++) {
            int[] src = categorical[c];
            int[] dst = new int[n];
            for (int k = 0; k < n; k++) {
                dst[k] = src[indices[from + k]];
            }
            cat[c] = dst;
        }
        int[][] multi = new int[multiValued.length][];
        for (int m = 0; m < multi.length; m++) {
            int width = spec.multiValued().get(m).width();
            int[] src = multiValued[m];
            int[] dst = new int[n * width];
            for (int k = 0; k < n; k++) {
                System.arraycopy(src, indices[from + k] * width, dst, k * width, width);
            }
            multi[m] = dst;
        }
        return new RatingBatch(u, it, r, cat, multi);
    }

    /** All examples in order, as one batch. */
    public RatingBatch all() {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return batch(order, 0, order.length);
    }

    /** Already-validated columns, taken without copying (used by {@link #subset}). */
    private RatingExamples(RatingFeatureSpec spec, int[] users, int[] items, float[] ratings,
                           int[][] categorical, int[][] multiValued) {
        this.spec = spec;
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.categorical = categorical;
        this.multiValued = multiValued;
    }

    private static void requireLength(String column, int length, int n) {
        if (length != n) {
            throw new IllegalArgumentException(column + " column has " + length + " values, the user column has " + n);
        }
    }

    private static void checkIds(String column, int[] ids, int cardinality, boolean padAllowed) {
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if ((id < 0 || id >= cardinality) && !(padAllowed && id == RatingFeatureSpec.PAD)) {
                throw new IllegalArgumentException("column '" + column + "' at position " + i + " holds id " + id
                        + ", expected an id in [0, " + cardinality + ")" + (padAllowed ? " or the pad id -1" : ""));
            }
        }
    }

    private static void checkNames(String kind, Set<String> given, List<String> declared) {
        Set<String> missing = new HashSet<>(declared);
        missing.removeAll(given);
        Set<String> extra = new HashSet<>(given);
        extra.removeAll(declared);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException(kind + " columns do not match the spec: declared " + declared
                    + ", missing " + missing + ", undeclared " + extra);
        }
    }
}
