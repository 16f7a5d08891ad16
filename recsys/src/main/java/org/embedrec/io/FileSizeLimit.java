package org.embedrec.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading a whole description file (a feature spec, a saved model's {@code model.json} or
 * {@code serving.json}, a checkpoint's description, a manifest) into memory, up to a limit. A
 * file past it (a wrong path, a data file given as a spec, a file that grows while read) fails
 * with its name, its size and the limit, instead of filling the heap or, past 2 GiB, failing
 * inside the JDK with an OutOfMemoryError whatever the heap.
 */
public final class FileSizeLimit {
    /** A feature spec is written by hand: 16 MiB is thousands of times any spec we ship or have seen. */
    public static final long SPEC_BYTES = 16L << 20;
    /**
     * A saved model's descriptions carry its vocabularies and catalogue ids: 512 MiB holds tens of
     * millions of ids, and is still a quarter of what one Java array can hold.
     */
    public static final long DESCRIPTION_BYTES = 512L << 20;

    private FileSizeLimit() {}

    /** A file larger than the limit it was read under; its message gives the size and the limit. */
    public static final class TooLarge extends IOException {
        private TooLarge(String sizeSeen, long limit) {
            super(sizeSeen + ", larger than the limit of " + describe(limit) + " for this kind of file");
        }
    }

    /**
     * The bytes of {@code file}.
     * @throws TooLarge when it holds more than {@code limit} bytes
     */
    public static byte[] readBytes(Path file, long limit) throws IOException {
        if (limit < 0 || limit > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a file size limit is between 0 and 2 GiB, got " + limit);
        }
        long size = Files.size(file);
        if (size > limit) {
            throw new TooLarge(size + " bytes", limit);
        }
        try (InputStream in = Files.newInputStream(file)) {
            // The size seen above says nothing of a file that grows meanwhile or of a pipe (size 0),
            // so the read itself stops one byte past the limit.
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) {
                throw new TooLarge("more than " + limit + " bytes", limit);
            }
            return bytes;
        }
    }

    /**
     * The text of {@code file} as UTF-8, refusing malformed input as {@link Files#readString} does.
     * @throws TooLarge when it holds more than {@code limit} bytes
     */
    public static String readUtf8(Path file, long limit) throws IOException {
        byte[] bytes = readBytes(file, limit);
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    }

    /** A byte count as a person reads it: in MiB when whole, else in bytes. */
    static String describe(long bytes) {
        return bytes >= (1 << 20) && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
