package org.embedrec.engine.kernels;

/**
 * The right operand {@code op(B)} ({@code k x n}) of many SGEMMs, packed once into the panel
 * layout of the blocked SGEMM so that each product against it skips the packing: scoring chunk
 * after chunk of queries against one catalogue packed the whole catalogue per chunk. Made by
 * {@link Kernels#pack}, read by {@link Kernels#sgemmPacked}; immutable once made, so any number
 * of threads may share it.
 *
 * <p>Layout ({@link SimdKernels}): for each block of {@link SimdSgemm#KC} steps, in increasing
 * order, all {@code ceil(n / NR)} column panels of that block, each {@code kc} rows of NR floats
 * (zero past column n); the block starting at step {@code pc} starts at
 * {@code pc * roundUp(n, NR)}. {@link ScalarKernels} keeps no panels and reads {@link #source}.
 */
public final class PackedMatrix {
    final boolean transB;
    final int n;
    final int k;
    final float[] source;
    final int sourceOff;
    /** The panels, or null when the kernels read {@link #source} directly. */
    final float[] panels;

    PackedMatrix(boolean transB, int n, int k, float[] source, int sourceOff, float[] panels) {
        this.transB = transB;
        this.n = n;
        this.k = k;
        this.source = source;
        this.sourceOff = sourceOff;
        this.panels = panels;
    }

    /** Columns of {@code op(B)}. */
    public int columns() {
        return n;
    }

    /** Rows of {@code op(B)}: the length of the sum. */
    public int depth() {
        return k;
    }
}
