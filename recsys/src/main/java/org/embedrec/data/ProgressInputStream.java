package org.embedrec.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An input stream that reports the bytes read through it to a {@link ReadProgress}. It sits
 * under the decoding reader, so it counts the file's bytes whatever the charset, and it passes
 * them on in chunks of at least {@link #CHUNK} bytes (the rest at end of stream and on close),
 * so a listener is called a few times per megabyte, not once per line.
 */
public final class ProgressInputStream extends FilterInputStream {
    /** Small enough for a smooth bar on a 2 MB file, large enough that the calls cost nothing. */
    static final int CHUNK = 64 * 1024;

    private final ReadProgress progress;
    private long pending;

    ProgressInputStream(InputStream in, ReadProgress progress) {
        super(in);
        this.progress = progress;
    }

    /** Opens {@code file} for reading, its bytes reported to {@code progress}. */
    public static InputStream open(Path file, ReadProgress progress) throws IOException {
        return new ProgressInputStream(Files.newInputStream(file), progress);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        counted(b < 0 ? -1 : 1);
        return b;
    }

    /** {@link FilterInputStream#read(byte[])} and the bulk reads of InputStream come through here. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        counted(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        counted(Math.max(skipped, 0));
        return skipped;
    }

    /** No mark and reset: bytes read twice would be counted twice. */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readLimit) {
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    @Override
    public void close() throws IOException {
        flush();
        super.close();
    }

    /** Counts {@code n} bytes read, or flushes at end of stream ({@code n < 0}). */
    private void counted(long n) {
        if (n < 0) {
            flush();
            return;
        }
        pending += n;
        if (pending >= CHUNK) {
            flush();
        }
    }

    private void flush() {
        if (pending > 0) {
            long amount = pending;
            pending = 0;
            progress.advance(amount);
        }
    }
}
