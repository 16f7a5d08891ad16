package org.embedrec.engine;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One spare {@code float[]} that an op keeps between calls, so that a large per-call buffer (the
 * 16 MB of an in-batch softmax at batch 2048) is not allocated, and zero-filled by the JVM, on
 * every step.
 *
 * <p>Ownership is exclusive and simple: {@link #take} removes the spare from the slot (or
 * allocates), so no two callers, threads or tapes ever hold the same array; the holder hands it
 * back with {@link #giveBack} when nothing will read it again. A buffer that is never handed back
 * (a tape closed without backward, an exception) is simply collected, and the next caller
 * allocates. Contents of a taken buffer are undefined.
 */
final class SpareBuffer {
    private final AtomicReference<float[]> spare = new AtomicReference<>();

    /** An array of at least {@code size} floats that no one else holds; its contents are undefined. */
    float[] take(int size) {
        float[] buffer = spare.getAndSet(null);
        return buffer != null && buffer.length >= size ? buffer : new float[size];
    }

    /**
     * Makes {@code buffer} the spare; the caller must not touch it afterwards. Of two spares
     * handed back, the larger is kept, so alternating batch sizes settle on one array.
     */
    void giveBack(float[] buffer) {
        spare.accumulateAndGet(buffer, (kept, offered) -> kept == null || offered.length > kept.length ? offered : kept);
    }
}
