package org.embedrec.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A digest of the data a run trains and validates on, so that a checkpoint can tell the data
 * it was made from from other data: SHA-256 over every row of each part of the split (raw user
 * and item ids, rating, timestamp, extra columns) and over the side tables when given, each value
 * length-prefixed so that no two different inputs run together into the same bytes. The raw
 * ids, not the dense ones, so the same rows in another order give another digest only when the
 * order reaches the model (the split's rows are digested in their order, which is the order
 * training sees them in).
 */
public final class DataFingerprint {
    /** Bytes gathered before each update of the digest: a call per value made it the slow part of a 25M-row load. */
    private static final int BUFFER_BYTES = 1 << 16;

    private final MessageDigest digest;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int used;

    public DataFingerprint() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Adds the rows of {@code part} (a split's train or test part), tagged with {@code name}. */
    public DataFingerprint add(String name, Interactions part) {
        text(name);
        number(part.size());
        List<String> extra = part.extraColumnNames();
        for (String column : extra) {
            text(column);
        }
        for (int r = 0; r < part.size(); r++) {
            text(part.users().rawId(part.user(r)));
            text(part.items().rawId(part.item(r)));
            number(Float.floatToIntBits(part.rating(r)));
            number(part.timestamp(r));
        }
        for (String column : extra) {
            for (String value : part.extraColumn(column)) {
                text(value);
            }
        }
        return this;
    }

    /** Adds a side table of attributes by id. */
    public DataFingerprint add(String name, AttributeTable table) {
        text(name);
        if (table == null) {
            number(-1);
            return this;
        }
        number(table.size());
        for (String column : table.columns()) {
            text(column);
        }
        for (String id : table.ids()) {
            for (String column : table.columns()) {
                text(table.value(id, column));
            }
        }
        return this;
    }

    /** Adds the MovieLens item and user tables of {@code data} (titles, dates, genres; ages, genders, jobs, zips). */
    public DataFingerprint addSideTables(RatingsData data) {
        text("items");
        number(data.items().map(Items::size).orElse(-1));
        data.items().ifPresent(items -> {
            for (int i = 0; i < items.size(); i++) {
                text(items.title(i));
                text(items.releaseDate(i).map(Object::toString).orElse(""));
                for (int g : items.genreIndices(i)) {
                    number(g);
                }
                number(-1);
            }
        });
        text("users");
        number(data.users().map(Users::size).orElse(-1));
        data.users().ifPresent(users -> {
            for (int u = 0; u < users.size(); u++) {
                number(users.age(u).orElse(-1));
                text(users.gender(u).orElse(""));
                text(users.occupation(u).orElse(""));
                text(users.zip(u).orElse(""));
            }
        });
        return this;
    }

    /** The digest so far, as 64 hex digits. */
    public String hex() {
        flush();
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests can be cloned", e);
        }
    }

    private void text(String value) {
        if (value == null) {
            number(-1);
            return;
        }
        int n = value.length();
        boolean ascii = n <= BUFFER_BYTES - 8;
        for (int i = 0; i < n && ascii; i++) {
            ascii = value.charAt(i) < 0x80;
        }
        if (!ascii) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            number(bytes.length);
            flush();
            digest.update(bytes);
            return;
        }
        // An ASCII string's UTF-8 bytes are its chars: written straight into the buffer.
        number(n);
        if (used + n > BUFFER_BYTES) {
            flush();
        }
        for (int i = 0; i < n; i++) {
            buffer[used++] = (byte) value.charAt(i);
        }
    }

    private void number(long value) {
        if (used + 8 > BUFFER_BYTES) {
            flush();
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[used++] = (byte) (value >>> shift);
        }
    }

    private void flush() {
        digest.update(buffer, 0, used);
        used = 0;
    }
}
