package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.MR;
import static org.embedrec.engine.kernels.RegisterTile.NR;

/**
 * Per-thread SGEMM buffers, grown on demand and kept: packed A in {@link #a}, packed B in
 * {@link #b}, one register tile's results in {@link #tile} (or {@link #wideTile}). Only the owning thread writes them;
 * the helpers of a parallel region may read what its caller packed before the region began.
 */
final class SgemmScratch {
    private static final ThreadLocal<SgemmScratch> SCRATCH = ThreadLocal.withInitial(SgemmScratch::new);

    private float[] a = new float[0];
    private float[] b = new float[0];
    final float[] tile = new float[MR * NR];
    final float[] wideTile = new float[WideTile.ROWS * WideTile.WIDTH];

    private SgemmScratch() {}

    /** The calling thread's buffers. */
    static SgemmScratch get() {
        return SCRATCH.get();
    }

    /** A buffer of at least {@code size} floats for packed A; its contents are undefined. */
    float[] a(int size) {
        if (a.length < size) {
            a = new float[size];
        }
        return a;
    }

    /** A buffer of at least {@code size} floats for packed B; its contents are undefined. */
    float[] b(int size) {
        if (b.length < size) {
            b = new float[size];
        }
        return b;
    }
}
