package org.embedrec.features;

import java.util.Locale;

/**
 * What a column of the user's data holds, as a feature spec names it ({@code "kind"}): the kind
 * decides which preprocessing applies and what the model receives.
 *
 * <ul>
 *   <li>{@code string}: a categorical value (a country, a category, an id) looked up in a
 *       vocabulary ({@link StringLookup}) or hashed ({@link Hashing}), then embedded;
 *   <li>{@code integer}: a categorical integer key, looked up ({@link IntegerLookup}) or hashed;
 *   <li>{@code numeric}: a real number, normalised ({@link Normalization}) and fed as is, and/or
 *       bucketed ({@link Discretization}) and embedded;
 *   <li>{@code timestamp}: seconds since 1970, treated as numeric;
 *   <li>{@code text}: words ({@link TextVectorization}), embedded and pooled;
 *   <li>{@code list}: several categorical values in one field, split on a separator, looked up,
 *       embedded and pooled.
 * </ul>
 */
public enum FeatureKind {
    STRING, INTEGER, NUMERIC, TIMESTAMP, TEXT, LIST;

    /** The name used in spec files. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for kinds whose value is one category (looked up or hashed into one id). */
    public boolean categorical() {
        return this == STRING || this == INTEGER;
    }

    /** True for kinds whose value is a number. */
    public boolean numeric() {
        return this == NUMERIC || this == TIMESTAMP;
    }

    /** True for kinds whose value is several ids pooled into one embedding. */
    public boolean bag() {
        return this == TEXT || this == LIST;
    }

    /** The kind named {@code name} in a spec file, or null. */
    static FeatureKind byJsonName(String name) {
        for (FeatureKind k : values()) {
            if (k.jsonName().equals(name)) {
                return k;
            }
        }
        return null;
    }
}
