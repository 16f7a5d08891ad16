package org.embedrec.data;

/**
 * Listens to one read of a data source, so that a caller can show how far it has got: the
 * reader calls {@link #begin} once with the total to expect, {@link #advance} as it goes, and
 * {@link #end} once when it stops, also when it stops on an error.
 *
 * <p>For files the unit is bytes of the files as stored (before decoding), reported in chunks
 * as the bytes are read, so after a complete read the advances add up to the total exactly.
 * A MovieLens directory is one read over all the files its format reads. For a JDBC query the
 * unit is rows and the total is unknown. Readers call the listener on the reading thread
 * only, and far less often than once per line.
 */
public interface ReadProgress {
    /** What {@link #begin}'s total and {@link #advance}'s amounts count. */
    enum Unit {
        BYTES,
        ROWS
    }

    /** Listens to nothing: the default of every reader. */
    ReadProgress NONE = new ReadProgress() {
        @Override
        public void begin(String what, long total, Unit unit) {
        }

        @Override
        public void advance(long amount) {
        }

        @Override
        public void end() {
        }

        @Override
        public String toString() {
            return "ReadProgress.NONE";
        }
    };

    /**
     * The read starts.
     * @param what names the source for people: a directory, file or data set name
     * @param total the amount the read will advance by in all, or -1 when unknown
     */
    void begin(String what, long total, Unit unit);

    /** {@code amount} more (positive) bytes or rows were read since the last call. */
    void advance(long amount);

    /** The read stopped, complete or not; no calls follow. */
    void end();
}
