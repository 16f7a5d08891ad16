package org.embedrec.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A loaded data set: its name, the interactions, the item and user side tables when the
 * source has them (row-aligned with the interactions' id mappings), the directory it was read
 * from (for canonical splits), and how many bad lines were skipped under
 * {@link BadLinePolicy#SKIP} with the first few reasons.
 */
public final class RatingsData {
    private final String name;
    private final Interactions interactions;
    private final Items items;
    private final Users users;
    private final Path source;
    private final long skippedLines;
    private final List<String> skipReasons;

    /**
     * @param items may be null when the source has no item table
     * @param users may be null when the source has no user table
     * @param source may be null when not read from a directory
     */
    public RatingsData(String name, Interactions interactions, Items items, Users users, Path source,
            long skippedLines, List<String> skipReasons) {
        if (name == null || interactions == null || skipReasons == null) {
            throw new IllegalArgumentException("name, interactions and skip reasons must not be null");
        }
        if (items != null && items.size() != interactions.numItems()) {
            throw new IllegalArgumentException("item table has " + items.size() + " rows but the item mapping has "
                    + interactions.numItems() + " ids");
        }
        if (users != null && users.size() != interactions.numUsers()) {
            throw new IllegalArgumentException("user table has " + users.size() + " rows but the user mapping has "
                    + interactions.numUsers() + " ids");
        }
        if (skippedLines < 0) {
            throw new IllegalArgumentException("skipped lines must be >= 0, got " + skippedLines);
        }
        this.name = name;
        this.interactions = interactions;
        this.items = items;
        this.users = users;
        this.source = source;
        this.skippedLines = skippedLines;
        this.skipReasons = List.copyOf(skipReasons);
    }

    /** Data with no side tables, no source directory and nothing skipped. */
    public static RatingsData of(String name, Interactions interactions) {
        return new RatingsData(name, interactions, null, null, null, 0, List.of());
    }

    public String name() {
        return name;
    }

    public Interactions interactions() {
        return interactions;
    }

    public Optional<Items> items() {
        return Optional.ofNullable(items);
    }

    public Optional<Users> users() {
        return Optional.ofNullable(users);
    }

    /** The directory the data was read from, if any. */
    public Optional<Path> source() {
        return Optional.ofNullable(source);
    }

    /** Lines left out under {@link BadLinePolicy#SKIP}; always 0 under FAIL. */
    public long skippedLines() {
        return skippedLines;
    }

    /** The messages of the first few skipped lines (at most 10). */
    public List<String> skipReasons() {
        return skipReasons;
    }

    @Override
    public String toString() {
        return "RatingsData[" + name + ", " + interactions.size() + " interactions, " + interactions.numUsers()
                + " users, " + interactions.numItems() + " items" + (skippedLines > 0 ? ", " + skippedLines
                + " lines skipped" : "") + "]";
    }
}
