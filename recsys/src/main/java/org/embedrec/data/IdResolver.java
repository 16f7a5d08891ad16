package org.embedrec.data;

/**
 * Turns raw ids into dense ids while reading interactions: either open (a new id is added to
 * the vocabulary) or closed over a side table (an id missing from the table resolves to -1,
 * and the reader reports the line as naming an unknown id).
 */
public final class IdResolver {
    private final IdMapping.Builder mapping;
    private final String table;

    private IdResolver(IdMapping.Builder mapping, String table) {
        this.mapping = mapping;
        this.table = table;
    }

    /** Adds unseen ids. */
    public static IdResolver open() {
        return new IdResolver(new IdMapping.Builder(), null);
    }

    /** Knows only the ids of {@code table} (a file name used in messages). */
    public static IdResolver closed(IdMapping.Builder mapping, String table) {
        return new IdResolver(mapping, table);
    }

    /** The dense id, or -1 if the resolver is closed and does not know the id. */
    public int resolve(String raw) {
        return table == null ? mapping.add(raw) : mapping.denseId(raw);
    }

    /** True if {@link #resolve} will give a dense id for {@code raw}. */
    public boolean knows(String raw) {
        return table == null || mapping.denseId(raw) >= 0;
    }

    /** The side table's name, or null for an open resolver. */
    public String table() {
        return table;
    }

    public IdMapping build() {
        return mapping.build();
    }
}
