package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.MR;
import static org.embedrec.engine.kernels.RegisterTile.NR;

import org.embedrec.engine.Parallel;

/**
 * SGEMM for outputs a few register tiles wide ({@code n <= NARROW_PANELS * NR}), such as a dense
 * layer's forward and backward products at a large batch, where packing would cost about as
 * much as it saves.
 *
 * <p>The blocked path packs each block of op(A) so that the micro-kernel reads it contiguously,
 * which pays when every packed value is then read once per column panel of a wide C. With one
 * to four column panels each value would be read once to four times, so copying it is a large
 * part of the work. Here the kernel reads full row panels of A where they lie, and full
 * column panels of an untransposed B too (NR contiguous floats per step, {@code n} apart); only
 * what cannot be read in place (a transposed B, the last partial panel of B, the last partial
 * row panel of A) is packed, once for all of k, before the parallel region.
 *
 * <p>The result is bit for bit the blocked path's: every element of C is the same FMA chain over
 * each {@code KC} block, from +0 in step order, added to C block by block in increasing order
 * (the first block stored unless accumulating), and padded rows and columns only ever meet
 * results that are not written. Threads split the tiles of C, never k.
 */
final class NarrowSgemm {
    /**
     * Up to this many column panels, A is read in place rather than packed. Measured on AVX-512
     * (NR = 32) and AVX2 (NR = 16): 1.0-1.9x faster than packing at four panels, slower by about
     * as much at six.
     */
    static final int NARROW_PANELS = 4;
    /** At most this many floats of B and A are packed up front, for all of k: no more scratch than a blocked B block. */
    static final int MAX_PACKED = SimdSgemm.KC * SimdSgemm.NC;

    private NarrowSgemm() {}

    /** Whether this path takes the product: few column panels, and little to pack for all of k. */
    static boolean accepts(boolean transB, int m, int n, int k) {
        int panels = ceilDiv(n, NR);
        return panels <= NARROW_PANELS && packedFloats(transB, m, n, k) <= MAX_PACKED;
    }

    private static long packedFloats(boolean transB, int m, int n, int k) {
        int packedPanels = ceilDiv(n, NR) - inPlacePanels(transB, n);
        return ((long) packedPanels * NR + (m % MR == 0 ? 0 : MR)) * k;
    }

    /** Column panels of op(B) read where they lie: the full ones of an untransposed B. */
    private static int inPlacePanels(boolean transB, int n) {
        return transB ? 0 : n / NR;
    }

    /**
     * {@code C (+)= op(A) op(B)} as {@link SimdSgemm#sgemm} defines it, for {@code m, n, k >= 1}
     * of any size (the dispatcher sends only narrow ones here); on up to {@code threads} threads.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                      boolean accumulate, int threads) {
        int panels = ceilDiv(n, NR);
        int inPlace = inPlacePanels(transB, n);
        int fullRows = m / MR * MR;
        SgemmScratch s = SgemmScratch.get();
        // B panels [inPlace, panels) packed for all of k: panel q's step p at q * NR * k + p * NR.
        float[] bp = null;
        if (inPlace < panels) {
            bp = s.b((panels - inPlace) * NR * k);
            for (int jp = inPlace; jp < panels; jp++) {
                PackedPanels.packB(transB, n, k, b, bOff, 0, k, jp * NR, Math.min(NR, n - jp * NR),
                        bp, (jp - inPlace) * NR * k);
            }
        }
        // The partial row panel of A packed for all of k: step p at p * MR.
        float[] ap = null;
        if (fullRows < m) {
            ap = s.a(MR * k);
            PackedPanels.packA(transA, m, k, a, aOff, fullRows, m - fullRows, 0, k, ap);
        }
        float[] packedB = bp;
        float[] packedA = ap;
        int tiles = ceilDiv(m, MR) * panels;
        Parallel.forRange(tiles, threads == 1 ? tiles : 1, (lo, hi) -> tiles(transA, m, n, k, a, aOff, b, bOff,
                c, cOff, accumulate, inPlace, packedA, packedB, lo, hi, SgemmScratch.get().tile));
    }

    /**
     * Tiles {@code [lo, hi)} of C, numbered row panel by row panel, on the calling thread, each
     * over all of k before the next: per KC block its chain, then the write into C. A tile walks
     * its MR rows of A from start to end, long runs the hardware prefetcher follows, while the
     * few columns of B it reads stay in L2 from tile to tile.
     */
    private static void tiles(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                              float[] c, int cOff, boolean accumulate, int inPlace, float[] ap, float[] bp,
                              int lo, int hi, float[] tile) {
        int panels = ceilDiv(n, NR);
        int fullRows = m / MR * MR;
        for (int t = lo; t < hi; t++) {
            int i = t / panels * MR;
            int jp = t % panels;
            int j = jp * NR;
            int rows = Math.min(MR, m - i);
            int cols = Math.min(NR, n - j);
            // op(B)'s panel in place (n floats between steps) or packed (NR apart, k steps a panel).
            float[] bs = jp < inPlace ? b : bp;
            int b0 = jp < inPlace ? bOff + j : (jp - inPlace) * NR * k;
            int ldb = jp < inPlace ? n : NR;
            for (int pc = 0; pc < k; pc += SimdSgemm.KC) {
                int kc = Math.min(SimdSgemm.KC, k - pc);
                int bi = b0 + pc * ldb;
                if (i == fullRows) {
                    InPlaceTile.columnMajorA(ap, pc * MR, MR, bs, bi, ldb, kc, tile);
                } else if (transA) {
                    InPlaceTile.columnMajorA(a, aOff + pc * m + i, m, bs, bi, ldb, kc, tile);
                } else {
                    InPlaceTile.rowMajorA(a, aOff + i * k + pc, k, bs, bi, ldb, kc, tile);
                }
                RegisterTile.write(tile, c, cOff + i * n + j, n, rows, cols, pc == 0 && !accumulate);
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
