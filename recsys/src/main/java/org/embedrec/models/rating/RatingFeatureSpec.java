package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The schema of {@link RatingExamples}: how many users and items there are, and which extra
 * columns each example carries, so that a model can size its tables from the schema alone.
 *
 * <ul>
 *   <li>{@code user} and {@code item}: ids in {@code [0, numUsers)} and {@code [0, numItems)}.
 *   <li>{@link Categorical} columns: one id per example in {@code [0, cardinality)}
 *       (occupation, age bucket, ...).
 *   <li>{@link MultiValued} columns: a fixed-width list of ids per example, padded with
 *       {@link #PAD} (an item's genres, say).
 *   <li>{@link Cross} features: the hashed pair of two columns, one id per combination in
 *       {@code [0, buckets)}; crossing with a multi-valued column gives one crossed id per
 *       value ({@code user x genre}). Only the wide part of Wide &amp; Deep uses them.
 * </ul>
 *
 * Column names are unique; {@code "user"} and {@code "item"} are reserved for the id columns.
 * Not to be confused with the JSON {@link org.embedrec.features.FeatureSpec}, which describes the
 * features of the generic towers-plus-tasks models.
 */
public record RatingFeatureSpec(int numUsers, int numItems, List<Categorical> categorical,
                                List<MultiValued> multiValued, List<Cross> crosses) {

    /** The padding id of multi-valued columns: no value in this position. */
    public static final int PAD = -1;
    public static final String USER = "user";
    public static final String ITEM = "item";

    /** A single-valued categorical column with ids in {@code [0, cardinality)}. */
    public record Categorical(String name, int cardinality) {
        public Categorical {
            requireName(name, "categorical column");
            requirePositive("categorical column '" + name + "' cardinality", cardinality);
        }
    }

    /**
     * A multi-valued column: {@code width} ids per example, each in {@code [0, cardinality)}
     * or {@link #PAD}.
     */
    public record MultiValued(String name, int cardinality, int width) {
        public MultiValued {
            requireName(name, "multi-valued column");
            requirePositive("multi-valued column '" + name + "' cardinality", cardinality);
            requirePositive("multi-valued column '" + name + "' width", width);
        }
    }

    /** The crossed feature of columns {@code first} and {@code second}, hashed into {@code buckets}. */
    public record Cross(String name, String first, String second, int buckets) {
        public Cross {
            requireName(name, "cross");
            requireName(first, "cross '" + name + "' first column");
            requireName(second, "cross '" + name + "' second column");
            requirePositive("cross '" + name + "' buckets", buckets);
            if (first.equals(second)) {
                throw new IllegalArgumentException("cross '" + name + "' crosses column '" + first + "' with itself");
            }
        }
    }

    public RatingFeatureSpec {
        requirePositive("numUsers", numUsers);
        requirePositive("numItems", numItems);
        categorical = List.copyOf(Objects.requireNonNull(categorical, "categorical"));
        multiValued = List.copyOf(Objects.requireNonNull(multiValued, "multiValued"));
        crosses = List.copyOf(Objects.requireNonNull(crosses, "crosses"));
        Set<String> names = new HashSet<>(List.of(USER, ITEM));
        for (Categorical c : categorical) {
            unique(names, c.name());
        }
        for (MultiValued m : multiValued) {
            unique(names, m.name());
        }
        int multiCount;
        for (Cross c : crosses) {
            unique(names, c.name());
            multiCount = 0;
            for (String column : List.of(c.first(), c.second())) {
                boolean known = column.equals(USER) || column.equals(ITEM)
                        || categorical.stream().anyMatch(x -> x.name().equals(column));
                boolean multi = multiValued.stream().anyMatch(x -> x.name().equals(column));
                if (!known && !multi) {
                    throw new IllegalArgumentException("cross '" + c.name() + "' names column '" + column
                            + "', which is not user, item or a declared column");
                }
                multiCount += multi ? 1 : 0;
            }
            if (multiCount > 1) {
                throw new IllegalArgumentException("cross '" + c.name()
                        + "' crosses two multi-valued columns; at most one may be multi-valued");
            }
        }
    }

    /** Users and items only. */
    public static RatingFeatureSpec of(int numUsers, int numItems) {
        return new RatingFeatureSpec(numUsers, numItems, List.of(), List.of(), List.of());
    }

    public RatingFeatureSpec withCategorical(String name, int cardinality) {
        List<Categorical> c = new ArrayList<>(categorical);
        c.add(new Categorical(name, cardinality));
        return new RatingFeatureSpec(numUsers, numItems, c, multiValued, crosses);
    }

    public RatingFeatureSpec withMultiValued(String name, int cardinality, int width) {
        List<MultiValued> m = new ArrayList<>(multiValued);
        m.add(new MultiValued(name, cardinality, width));
        return new RatingFeatureSpec(numUsers, numItems, categorical, m, crosses);
    }

    /** Adds the cross {@code first_x_second} of two columns, hashed into {@code buckets}. */
    public RatingFeatureSpec withCross(String first, String second, int buckets) {
        List<Cross> x = new ArrayList<>(crosses);
        x.add(new Cross(first + "_x_" + second, first, second, buckets));
        return new RatingFeatureSpec(numUsers, numItems, categorical, multiValued, x);
    }

    /** Position of the categorical column {@code name}, or -1. */
    public int categoricalIndex(String name) {
        for (int i = 0; i < categorical.size(); i++) {
            if (categorical.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Position of the multi-valued column {@code name}, or -1. */
    public int multiValuedIndex(String name) {
        for (int i = 0; i < multiValued.size(); i++) {
            if (multiValued.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static void unique(Set<String> names, String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("feature name '" + name + "' is used twice (user and item are reserved)");
        }
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " needs a non-empty name");
        }
    }

    private static void requirePositive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }
}
