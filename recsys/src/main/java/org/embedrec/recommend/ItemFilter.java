package org.embedrec.recommend;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which items a query may return: those whose ids are in {@code allowedIds} (any, when null),
 * and whose attributes equal every value of {@code attributeEquals} (the item table's columns,
 * compared as exact strings; an item without the attribute does not match). With an allow-list
 * the recommender scores the allowed items alone, which is how a short list of candidates from
 * elsewhere is re-ranked.
 *
 * @param allowedIds the item ids allowed, or null for any
 * @param attributeEquals attribute name to the value it must have
 */
public record ItemFilter(Set<String> allowedIds, Map<String, String> attributeEquals) {
    /** Allows every item. */
    public static final ItemFilter NONE = new ItemFilter(null, Map.of());

    public ItemFilter {
        if (allowedIds != null) {
            Set<String> copy = new LinkedHashSet<>();
            for (String id : allowedIds) {
                copy.add(Objects.requireNonNull(id, "allowedIds: a null item id"));
            }
            allowedIds = java.util.Collections.unmodifiableSet(copy);
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : Objects.requireNonNull(attributeEquals, "attributeEquals").entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("attributeEquals: a condition without an attribute name or value ("
                        + e.getKey() + " = " + e.getValue() + ")");
            }
            copy.put(e.getKey(), e.getValue());
        }
        attributeEquals = java.util.Collections.unmodifiableMap(copy);
    }

    /** Only the items of {@code ids}. */
    public static ItemFilter allowOnly(Collection<String> ids) {
        return new ItemFilter(new LinkedHashSet<>(Objects.requireNonNull(ids, "ids")), Map.of());
    }

    /** Only the items whose {@code attribute} is {@code value}. */
    public static ItemFilter where(String attribute, String value) {
        return NONE.and(attribute, value);
    }

    /** This filter, and the items' {@code attribute} must also be {@code value}. */
    public ItemFilter and(String attribute, String value) {
        Map<String, String> conditions = new LinkedHashMap<>(attributeEquals);
        conditions.put(Objects.requireNonNull(attribute, "attribute"), Objects.requireNonNull(value, "value"));
        return new ItemFilter(allowedIds, conditions);
    }

    /** This filter, and the items must also be among {@code ids}. */
    public ItemFilter andAllowOnly(Collection<String> ids) {
        Set<String> allowed = new LinkedHashSet<>(Objects.requireNonNull(ids, "ids"));
        if (allowedIds != null) {
            allowed.retainAll(allowedIds);
        }
        return new ItemFilter(allowed, attributeEquals);
    }

    /** Whether this filter lets every item through. */
    public boolean allowsAll() {
        return allowedIds == null && attributeEquals.isEmpty();
    }
}
