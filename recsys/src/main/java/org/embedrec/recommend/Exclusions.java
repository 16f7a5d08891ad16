package org.embedrec.recommend;

import java.util.Arrays;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The catalogue rows one query must not return, as the predicate an index asks about the
 * items that would enter its top K (true: leave it out): those the user had in training (when
 * the query excludes seen items), those the query excludes by id, and those its filter does not
 * allow (outside the allow-list, or an attribute not equal to the value asked for). Made per
 * query and read-only afterwards, so an index may ask it from several threads.
 */
final class Exclusions implements IntPredicate {
    private final UserHistory history;
    private final int user;
    private final int seenBy;
    /** The rows of the query's own history, sorted; left out with the user's when the query excludes seen items. */
    private final int[] given;
    private final boolean excludeGiven;
    private final int[] excluded;
    private final int[] allowed;
    private final Catalogue catalogue;
    private final int[] attributes;
    /** The filter's values as UTF-8, compared with the catalogue's bytes without making strings; null matches nothing. */
    private final byte[][] values;

    private Exclusions(UserHistory history, int user, boolean excludeSeen, int[] given, int[] excluded, int[] allowed,
                       Catalogue catalogue, int[] attributes, byte[][] values) {
        this.history = history;
        this.user = user;
        this.seenBy = excludeSeen ? user : -1;
        this.given = given;
        this.excludeGiven = excludeSeen && given.length > 0;
        this.excluded = excluded;
        this.allowed = allowed;
        this.catalogue = catalogue;
        this.attributes = attributes;
        this.values = values;
    }

    /**
     * The exclusions of {@code query} asked by {@code asker} (its history row, -1 for none, and
     * the rows of the query's own history).
     *
     * @throws IllegalArgumentException if the filter names an attribute the items do not have
     */
    static Exclusions of(Query query, Asker asker, Catalogue catalogue, UserHistory history) {
        int user = asker.userRow();
        int[] excluded = rows(query.exclude(), catalogue);
        int[] allowed = query.filter().allowedIds() == null ? null : rows(query.filter().allowedIds(), catalogue);
        Map<String, String> conditions = query.filter().attributeEquals();
        int[] attributes = new int[conditions.size()];
        byte[][] values = new byte[conditions.size()][];
        int c = 0;
        for (Map.Entry<String, String> e : conditions.entrySet()) {
            attributes[c] = catalogue.attributeIndex(e.getKey());
            if (attributes[c] < 0) {
                throw new IllegalArgumentException("filter.attributeEquals: the items have no attribute '" + e.getKey()
                        + "'" + (catalogue.attributeNames().isEmpty() ? " (this model keeps no item attributes)"
                        : "; they have " + String.join(", ", catalogue.attributeNames())));
            }
            values[c++] = AttributeTable.exactUtf8(e.getValue()); // null (matches nothing) for text no item can hold
        }
        int[] given = asker.history().length == 0 ? NONE : asker.history().clone();
        Arrays.sort(given);
        return new Exclusions(history, user, query.excludeSeen(), given, excluded, allowed, catalogue, attributes,
                values);
    }

    /** Whether the asker had catalogue row {@code row}: in training, or in the query's history. */
    boolean seen(int row) {
        return user >= 0 && history.hasSeen(user, row)
                || given.length > 0 && Arrays.binarySearch(given, row) >= 0;
    }

    private static final int[] NONE = new int[0];

    /** The sorted, distinct catalogue rows of the ids the catalogue holds. */
    private static int[] rows(java.util.Collection<String> ids, Catalogue catalogue) {
        if (ids.isEmpty()) {
            return NONE;
        }
        int[] out = new int[ids.size()];
        int n = 0;
        for (String id : ids) {
            int row = catalogue.row(id);
            if (row >= 0) {
                out[n++] = row;
            }
        }
        int[] sorted = Arrays.copyOf(out, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The allowed rows (sorted), or null when the query has no allow-list. */
    int[] allowed() {
        return allowed;
    }

    /** Whether nothing is excluded, so an index need not ask. */
    boolean excludesNothing() {
        return seenBy < 0 && !excludeGiven && excluded.length == 0 && allowed == null && attributes.length == 0;
    }

    @Override
    public boolean test(int row) {
        if (allowed != null && Arrays.binarySearch(allowed, row) < 0) {
            return true;
        }
        if (excluded.length > 0 && Arrays.binarySearch(excluded, row) >= 0) {
            return true;
        }
        for (int c = 0; c < attributes.length; c++) {
            if (!catalogue.attributeEquals(row, attributes[c], values[c])) {
                return true;
            }
        }
        return seenBy >= 0 && history.hasSeen(seenBy, row)
                || excludeGiven && Arrays.binarySearch(given, row) >= 0;
    }

    /** The rows to score when not searching an index: the allowed ones, or all {@code size}, minus those excluded. */
    int[] remaining(int size) {
        int[] from = allowed;
        int n = from == null ? size : from.length;
        int[] out = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int row = from == null ? i : from[i];
            if (!test(row)) {
                out[kept++] = row;
            }
        }
        return kept == n ? out : Arrays.copyOf(out, kept);
    }
}
