package org.embedrec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import org.embedrec.engine.Parallel;

/**
 * Reads a clean ratings CSV, {@code userId,itemId,rating,timestamp} with that header, on all
 * cores straight into primitive columns: no String or object per row, each id interned once.
 *
 * <p>The file is cut into chunks at line boundaries; each chunk is parsed on its own into
 * columns of chunk-local user (and, without an item table, item) indices, with a
 * {@link LongIntMap} per chunk. The chunks' vocabularies are then merged in file order, so
 * every id gets the dense index of its first appearance in the file, exactly as the
 * line-by-line readers number them, whatever the number of threads or chunks; the rows are
 * remapped to those indices in parallel, chunk by chunk.
 *
 * <p>"Clean" is narrow on purpose: ids are decimal integers as written by the MovieLens
 * releases (no sign, no leading zero, at most 18 digits), the rating a single digit
 * optionally followed by {@code .0} or {@code .5} (anything else is handed to
 * {@link Interactions#parseRating}), the timestamp decimal seconds, lines ending in LF or
 * CRLF. Any other line, and an item id missing from the item table, makes {@link #read}
 * return empty, and the caller reads the file with its line-by-line reader, which names the
 * file and line of any problem and applies the bad-line policy. So this reader never changes
 * what a file means; it only reads the common case faster.
 *
 * <p>Memory: the result is 20 bytes per interaction (int user, int item, float rating, long
 * timestamp); while reading, each chunk's columns (the same 20 bytes per row) are held until
 * they are copied into the result, so the peak is about 40 bytes per interaction.
 */
public final class ParallelRatingsCsv {
    /** Bytes per chunk: small enough to balance two threads, large enough that per-chunk work is noise. */
    static final int CHUNK_BYTES = 4 << 20;
    private static final byte[] HEADER = "userId,movieId,rating,timestamp".getBytes(StandardCharsets.US_ASCII);

    private ParallelRatingsCsv() {}

    /** The columns of a file read whole. */
    public record Columns(IdMapping users, IdMapping items, int[] userIds, int[] itemIds, float[] ratings,
            long[] timestamps) {
        public Interactions interactions() {
            return Interactions.ofColumns(users, items, userIds, itemIds, ratings, timestamps);
        }
    }

    /**
     * Reads {@code file} (header {@code userId,movieId,rating,timestamp}) with items resolved through
     * {@code itemTable} (from the release's item file; null to number items by first appearance),
     * or returns empty when a line is not in the clean form (see the class comment). Advances
     * {@code progress} by the bytes parsed, from the reading threads one call at a time; on an
     * empty result by fewer than the file's size, which the caller's fallback read continues.
     */
    public static Optional<Columns> read(Path file, IdMapping itemTable, ReadProgress progress) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, itemTable, progress, CHUNK_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    static Optional<Columns> read(FileChannel channel, IdMapping itemTable, ReadProgress progress, int chunkBytes)
            throws IOException {
        long size = channel.size();
        long dataStart = headerEnd(channel);
        if (dataStart < 0) {
            return Optional.empty();
        }
        long[] bounds = chunkBounds(channel, dataStart, size, chunkBytes);
        if (bounds == null) {
            return Optional.empty();
        }
        ItemIndex items = itemTable == null ? null : ItemIndex.of(itemTable);
        if (itemTable != null && items == null) {
            return Optional.empty();
        }
        int chunks = bounds.length - 1;
        Chunk[] parsed = new Chunk[chunks];
        ReadProgress shared = serialised(progress);
        int longest = 0;
        for (int c = 0; c < chunks; c++) {
            longest = (int) Math.max(longest, bounds[c + 1] - bounds[c]);
        }
        int bufferBytes = longest;
        Parallel.forRange(chunks, 1, (from, to) -> {
            byte[] buffer = new byte[bufferBytes];
            for (int c = from; c < to; c++) {
                int length = (int) (bounds[c + 1] - bounds[c]);
                try {
                    readFully(channel, buffer, bounds[c], length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Chunk chunk = new Chunk(length / 24 + 16, items == null);
                if (!chunk.parse(buffer, length, items)) {
                    return; // not clean: the caller falls back; the other chunks' work is discarded
                }
                parsed[c] = chunk;
                shared.advance(c == 0 ? dataStart + length : length); // the header counts with the first chunk
            }
        });
        for (Chunk chunk : parsed) {
            if (chunk == null) {
                return Optional.empty();
            }
        }
        return Optional.of(merge(parsed, itemTable));
    }

    /** Interns each chunk's ids in file order, then remaps and copies the chunks' rows in parallel. */
    private static Columns merge(Chunk[] chunks, IdMapping itemTable) {
        int[][] userGlobal = new int[chunks.length][];
        int[][] itemGlobal = itemTable == null ? new int[chunks.length][] : null;
        Vocabulary users = new Vocabulary();
        Vocabulary items = itemTable == null ? new Vocabulary() : null;
        long[] offsets = new long[chunks.length + 1];
        for (int c = 0; c < chunks.length; c++) {
            userGlobal[c] = users.intern(chunks[c].users);
            if (items != null) {
                itemGlobal[c] = items.intern(chunks[c].items);
            }
            offsets[c + 1] = offsets[c] + chunks[c].rows;
        }
        if (offsets[chunks.length] > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("more than " + (Integer.MAX_VALUE - 8) + " ratings in one file");
        }
        int n = (int) offsets[chunks.length];
        int[] u = new int[n];
        int[] it = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        Parallel.forRange(chunks.length, 1, (from, to) -> {
            for (int c = from; c < to; c++) {
                Chunk chunk = chunks[c];
                int base = (int) offsets[c];
                int[] ug = userGlobal[c];
                int[] ig = itemGlobal == null ? null : itemGlobal[c];
                for (int k = 0; k < chunk.rows; k++) {
                    u[base + k] = ug[chunk.user[k]];
                    it[base + k] = ig == null ? chunk.item[k] : ig[chunk.item[k]];
                }
                System.arraycopy(chunk.rating, 0, r, base, chunk.rows);
                System.arraycopy(chunk.time, 0, t, base, chunk.rows);
                chunks[c] = null; // free the chunk's columns as soon as they are copied
            }
        });
        return new Columns(users.mapping(), itemTable == null ? items.mapping() : itemTable, u, it, r, t);
    }

    /** The offset after the header line, or -1 when the header is not exactly the expected one. */
    private static long headerEnd(FileChannel channel) throws IOException {
        byte[] head = new byte[(int) Math.min(channel.size(), HEADER.length + 2)];
        readFully(channel, head, 0, head.length);
        if (head.length < HEADER.length + 1 || !Arrays.equals(head, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            return -1;
        }
        if (head[HEADER.length] == '\n') {
            return HEADER.length + 1;
        }
        return head.length == HEADER.length + 2 && head[HEADER.length] == '\r' && head[HEADER.length + 1] == '\n'
                ? HEADER.length + 2 : -1;
    }

    /**
     * Chunk starts, each just after a line feed, about {@code chunkBytes} apart, and the file's end;
     * null if a line is longer than {@link LineLengthLimit#MAX_LINE_CHARS} (the fallback reports it).
     */
    private static long[] chunkBounds(FileChannel channel, long start, long size, int chunkBytes) throws IOException {
        long[] bounds = new long[(int) ((size - start) / chunkBytes) + 2];
        int count = 0;
        bounds[count++] = start;
        byte[] window = new byte[4096];
        long at = start + chunkBytes;
        while (at < size) {
            long lineEnd = -1;
            for (long p = at - 1; lineEnd < 0 && p < size && p - at < LineLengthLimit.MAX_LINE_CHARS; p += window.length) {
                int n = (int) Math.min(window.length, size - p);
                readFully(channel, window, p, n);
                for (int k = 0; k < n; k++) {
                    if (window[k] == '\n') {
                        lineEnd = p + k + 1;
                        break;
                    }
                }
            }
            if (lineEnd < 0 && size - at >= LineLengthLimit.MAX_LINE_CHARS) {
                return null;
            }
            if (lineEnd < 0 || lineEnd >= size) {
                break;
            }
            bounds[count++] = lineEnd;
            at = lineEnd + chunkBytes;
        }
        bounds[count++] = size;
        return Arrays.copyOf(bounds, count);
    }

    /**
     * The item table's ids as numbers: an array indexed by id when the ids are small (MovieLens's
     * are below 300k), else a hash map; null when an id is not a clean decimal (then no fast path).
     */
    static final class ItemIndex {
        private static final int MAX_DIRECT = 1 << 22;
        private final int[] direct;
        private final LongIntMap hashed;

        private ItemIndex(int[] direct, LongIntMap hashed) {
            this.direct = direct;
            this.hashed = hashed;
        }

        static ItemIndex of(IdMapping table) {
            long[] ids = new long[table.size()];
            long max = -1;
            for (int d = 0; d < table.size(); d++) {
                String raw = table.rawId(d);
                byte[] b = raw.getBytes(StandardCharsets.US_ASCII);
                ids[d] = Chunk.cleanId(b, 0, b.length);
                if (ids[d] < 0 || !raw.equals(Long.toString(ids[d]))) {
                    return null;
                }
                max = Math.max(max, ids[d]);
            }
            if (max < MAX_DIRECT) {
                int[] direct = new int[(int) max + 1];
                Arrays.fill(direct, -1);
                for (int d = 0; d < ids.length; d++) {
                    direct[(int) ids[d]] = d;
                }
                return new ItemIndex(direct, null);
            }
            LongIntMap map = new LongIntMap(ids.length);
            for (int d = 0; d < ids.length; d++) {
                map.putIfAbsent(ids[d], d);
            }
            return new ItemIndex(null, map);
        }

        /** The dense index of {@code id}, or -1 when the table does not have it. */
        int get(long id) {
            if (direct != null) {
                return id < direct.length ? direct[(int) id] : -1;
            }
            return hashed.get(id);
        }
    }

    private static void readFully(FileChannel channel, byte[] into, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("the file ended early: it changed while being read");
            }
        }
    }

    /** {@code progress} called from any thread, one call at a time. */
    private static ReadProgress serialised(ReadProgress progress) {
        return new ReadProgress() {
            @Override
            public synchronized void begin(String what, long total, Unit unit) {
                progress.begin(what, total, unit);
            }

            @Override
            public synchronized void advance(long amount) {
                if (amount > 0) {
                    progress.advance(amount);
                }
            }

            @Override
            public synchronized void end() {
                progress.end();
            }
        };
    }

    /**
     * Forwards a read's progress and counts the bytes; {@link #rest} is the progress for a second
     * read of the same bytes (the fallback after an empty {@link #read}), which skips the bytes
     * already counted, so the advances of both reads still add up to the file's size.
     */
    public static final class CountingProgress implements ReadProgress {
        private final ReadProgress target;
        private long advanced;

        public CountingProgress(ReadProgress target) {
            this.target = target;
        }

        @Override
        public void begin(String what, long total, Unit unit) {
            target.begin(what, total, unit);
        }

        @Override
        public synchronized void advance(long amount) {
            advanced += amount;
            target.advance(amount);
        }

        @Override
        public void end() {
            target.end();
        }

        /** Progress that drops the first bytes (those already counted), then forwards. */
        public ReadProgress rest() {
            long[] skip = {advanced};
            return new ReadProgress() {
                @Override
                public void begin(String what, long total, Unit unit) {
                    target.begin(what, total, unit);
                }

                @Override
                public void advance(long amount) {
                    long dropped = Math.min(skip[0], amount);
                    skip[0] -= dropped;
                    if (amount > dropped) {
                        target.advance(amount - dropped);
                    }
                }

                @Override
                public void end() {
                    target.end();
                }
            };
        }
    }

    /** The global vocabulary, grown chunk by chunk in file order. */
    private static final class Vocabulary {
        private final LongIntMap dense = new LongIntMap(1 << 16);
        private long[] raw = new long[1 << 12];
        private int size;

        /** The dense index of each of a chunk's local ids (given in their order of appearance). */
        int[] intern(Chunk.Ids local) {
            int[] global = new int[local.size];
            for (int l = 0; l < local.size; l++) {
                long id = local.raw[l];
                int d = dense.putIfAbsent(id, size);
                if (d == size) {
                    if (size == raw.length) {
                        raw = Arrays.copyOf(raw, size * 2);
                    }
                    raw[size++] = id;
                }
                global[l] = d;
            }
            return global;
        }

        IdMapping mapping() {
            String[] names = new String[size];
            for (int d = 0; d < size; d++) {
                names[d] = Long.toString(raw[d]);
            }
            return IdMapping.ofDistinct(names);
        }
    }

    /** One chunk's rows, with chunk-local id indices. */
    private static final class Chunk {
        int rows;
        int[] user;
        int[] item;
        float[] rating;
        long[] time;
        final Ids users = new Ids();
        final Ids items;

        Chunk(int expectedRows, boolean localItems) {
            user = new int[expectedRows];
            item = new int[expectedRows];
            rating = new float[expectedRows];
            time = new long[expectedRows];
            items = localItems ? new Ids() : null;
        }

        /** A chunk's ids in order of first appearance. */
        static final class Ids {
            final LongIntMap local = new LongIntMap(1 << 10);
            long[] raw = new long[1 << 10];
            int size;

            int intern(long id) {
                int l = local.putIfAbsent(id, size);
                if (l == size) {
                    if (size == raw.length) {
                        raw = Arrays.copyOf(raw, size * 2);
                    }
                    raw[size++] = id;
                }
                return l;
            }
        }

        /** Parses {@code b[0, length)}, whole lines; false at the first line not in the clean form. */
        boolean parse(byte[] b, int length, ItemIndex itemTable) {
            int p = 0;
            while (p < length) {
                int end = p;
                while (end < length && b[end] != '\n') {
                    end++;
                }
                if (end == length) {
                    return false; // the last line has no line feed: let the line reader judge it
                }
                int lineEnd = end > p && b[end - 1] == '\r' ? end - 1 : end;
                if (!parseLine(b, p, lineEnd, itemTable)) {
                    return false;
                }
                p = end + 1;
            }
            return true;
        }

        /** Set by {@link #field}: where the field just read ended (its delimiter), or -1 when malformed. */
        private int fieldEnd;
        private long lastUserId = -1;
        private int lastUser;

        private boolean parseLine(byte[] b, int from, int to, ItemIndex itemTable) {
            long userId = field(b, from, to, ',');
            if (userId < 0) {
                return false;
            }
            long itemId = field(b, fieldEnd + 1, to, ',');
            if (itemId < 0) {
                return false;
            }
            int ratingStart = fieldEnd + 1;
            int c3 = indexOf(b, ratingStart, to, (byte) ',');
            if (c3 < 0) {
                return false;
            }
            float r = rating(b, ratingStart, c3);
            long seconds = field(b, c3 + 1, to, '\n');
            if (seconds < 0 || fieldEnd != to || Float.isNaN(r)) {
                return false;
            }
            int itemIndex = itemTable == null ? items.intern(itemId) : itemTable.get(itemId);
            if (itemIndex < 0) {
                return false;
            }
            if (rows == user.length) {
                grow();
            }
            // The releases are sorted by user: most lines repeat the last line's user.
            if (userId != lastUserId) {
                lastUser = users.intern(userId);
                lastUserId = userId;
            }
            user[rows] = lastUser;
            item[rows] = itemIndex;
            rating[rows] = r;
            time[rows] = seconds;
            rows++;
            return true;
        }

        /**
         * The clean id (see {@link #cleanId}) from {@code from} up to the next {@code delimiter} or
         * {@code to}, leaving its end in {@link #fieldEnd}; -1 if malformed.
         */
        private long field(byte[] b, int from, int to, char delimiter) {
            long v = 0;
            int k = from;
            for (; k < to && b[k] != delimiter; k++) {
                int d = b[k] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            int n = k - from;
            fieldEnd = k;
            return n < 1 || n > 18 || (b[from] == '0' && n > 1) ? -1 : v;
        }

        private void grow() {
            int cap = user.length * 2;
            user = Arrays.copyOf(user, cap);
            item = Arrays.copyOf(item, cap);
            rating = Arrays.copyOf(rating, cap);
            time = Arrays.copyOf(time, cap);
        }

        private static int indexOf(byte[] b, int from, int to, byte value) {
            for (int k = from; k < to; k++) {
                if (b[k] == value) {
                    return k;
                }
            }
            return -1;
        }

        /** A decimal of 1 to 18 digits without a leading zero (or "0"), else -1. */
        static long cleanId(byte[] b, int from, int to) {
            int n = to - from;
            if (n < 1 || n > 18 || (b[from] == '0' && n > 1)) {
                return -1;
            }
            long v = 0;
            for (int k = from; k < to; k++) {
                int d = b[k] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                v = v * 10 + d;
            }
            return v;
        }

        /** "D", "D.0" or "D.5" exactly; other numbers as {@link Interactions#parseRating} reads them; NaN if none. */
        private static float rating(byte[] b, int from, int to) {
            int n = to - from;
            int d = n >= 1 ? b[from] - '0' : -1;
            if (d >= 0 && d <= 9) {
                if (n == 1) {
                    return d;
                }
                if (n == 3 && b[from + 1] == '.' && (b[from + 2] == '0' || b[from + 2] == '5')) {
                    return b[from + 2] == '0' ? d : d + 0.5f;
                }
            }
            for (int k = from; k < to; k++) {
                // Only plain number characters: spaces or quotes are the line reader's to judge.
                byte c = b[k];
                if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                    return Float.NaN;
                }
            }
            return n == 0 ? Float.NaN : Interactions.parseRating(new String(b, from, n, StandardCharsets.US_ASCII));
        }
    }
}
