package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.MR;
import static org.embedrec.engine.kernels.RegisterTile.NR;

import java.util.Arrays;
import org.embedrec.engine.Parallel;

/**
 * SGEMM for outputs a few register tiles wide ({@code n <= NARROW_PANELS * NR}), such as a dense
 * layer's forward and backward products at a large batch, where packing would cost about as
 * much as it saves.
 *
 * <p>The blocked path packs each block of op(A) so that the micro-kernel reads it contiguously,
 * which pays when every packed value is then read once per column panel of a wide C. With one
 * to four column panels each value would be read once to four times, so copying it is a large
 * part of the work. Here the kernels of {@link InPlaceTile} read A where it lies, and an
 * untransposed B too (NR contiguous floats per step, {@code n} apart). A transposed B, or one
 * narrower than a tile, is packed once for all of k before the parallel region; it is small.
 *
 * <p>Outputs 49 to 64 columns wide on AVX-512 (SASRec's width 50) run {@link WideTile} instead:
 * one panel of four vectors per row rather than two overlapping panels of two, so each row of A
 * is read once.
 *
 * <p>Edges are not padded but overlapped: the last row panel is the last MR rows of C, the last
 * column panel the last NR columns, so they too are read in place, and only the rows and
 * columns no earlier tile wrote are written. Overlapping tiles compute some elements twice, the
 * same way each time.
 *
 * <p>The result is bit for bit the blocked path's: every element of C is the same FMA chain over
 * each {@code KC} block, from +0 in step order, added to C block by block in increasing order
 * (the first block stored unless accumulating); the elements of a tile do not mix, so neither
 * where a tile starts nor padding changes any. Threads split the tiles of C, never k.
 */
final class NarrowSgemm {
    /**
     * Up to this many column panels, A is read in place rather than packed. Measured on AVX-512
     * (NR = 32) and AVX2 (NR = 16): 1.0-1.9x faster than packing at four panels, slower by about
     * as much at six.
     */
    static final int NARROW_PANELS = 4;
    /** At most this many floats of B are packed up front, for all of k: no more scratch than a blocked B block. */
    static final int MAX_PACKED = SimdSgemm.KC * SimdSgemm.NC;
    /** Up to this many elements of C (64 KiB), a long sum runs block by block over all tiles: C stays in L2. */
    static final int SMALL_C = 16 * 1024;

    private NarrowSgemm() {}

    /**
     * Whether this path takes the product: few column panels, at least one full row panel (a
     * tile's rows all lie in A), and little of B to pack for all of k.
     */
    static boolean accepts(boolean transB, int m, int n, int k) {
        return m >= MR && ceilDiv(n, NR) <= NARROW_PANELS && (long) packedPanels(transB, n) * NR * k <= MAX_PACKED;
    }

    /** Column panels of op(B) to pack: all of a transposed B, or the one panel of a B narrower than a tile. */
    private static int packedPanels(boolean transB, int n) {
        return transB || n < NR ? ceilDiv(n, NR) : 0;
    }

    /**
     * {@code C (+)= op(A) op(B)} as {@link SimdSgemm#sgemm} defines it, for {@code m >= MR} and
     * {@code n, k >= 1} (the dispatcher sends only narrow products here); on up to
     * {@code threads} threads.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                      boolean accumulate, int threads) {
        if (m < MR) {
            throw new IllegalArgumentException("NarrowSgemm: m=" + m + "; expected at least " + MR + " rows");
        }
        if (WideTile.fits(n) && m >= WideTile.ROWS && (!transB || (long) k * WideTile.WIDTH <= MAX_PACKED)) {
            boolean pack = transB || k <= SimdSgemm.KC;
            float[] wideB = pack ? SgemmScratch.get().b(k * WideTile.WIDTH) : b;
            if (pack) {
                WideTile.packB(transB, n, k, b, bOff, wideB);
            }
            int wideOff = pack ? 0 : bOff;
            int ldb = pack ? WideTile.WIDTH : n;
            int rowTiles = ceilDiv(m, WideTile.ROWS);
            Parallel.forRange(rowTiles, threads == 1 ? rowTiles : 1, (lo, hi) -> wideTiles(transA, m, n, k, a, aOff,
                    wideB, wideOff, ldb, c, cOff, accumulate, lo, hi, SgemmScratch.get().wideTile));
            return;
        }
        int panels = ceilDiv(n, NR);
        // Packed panels hold k steps of NR floats each, zero past column n: panel q's step p at (q * k + p) * NR.
        float[] bp = null;
        if (packedPanels(transB, n) > 0) {
            bp = SgemmScratch.get().b(panels * NR * k);
            for (int jp = 0; jp < panels; jp++) {
                PackedPanels.packB(transB, n, k, b, bOff, 0, k, jp * NR, Math.min(NR, n - jp * NR), bp, jp * NR * k);
            }
        }
        float[] packedB = bp;
        int tiles = ceilDiv(m, MR) * panels;
        Parallel.forRange(tiles, threads == 1 ? tiles : 1, (lo, hi) -> tiles(transA, m, n, k, a, aOff, b, bOff,
                c, cOff, accumulate, packedB, lo, hi, SgemmScratch.get().tile));
    }

    /**
     * Tiles {@code [lo, hi)} of C, numbered row panel by row panel, on the calling thread. When C
     * is large, each tile runs over all of k before the next: per KC block its chain, then the
     * write into C; a tile walks its MR rows of A from start to end, long runs the hardware
     * prefetcher follows, while the few columns of B it reads stay in L2 from tile to tile. When
     * C is small and k long (a dense layer's weight gradient, {@code X^T dZ}), that order would
     * stream all of A and B from memory once per tile; there the KC blocks go outermost and every
     * tile takes its turn on a block while the block's A and B are in cache. Each element still
     * gets its blocks' chains in increasing order, so both orders give the same bits.
     */
    private static void tiles(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                              float[] c, int cOff, boolean accumulate, float[] bp,
                              int lo, int hi, float[] tile) {
        if (k > SimdSgemm.KC && (long) m * n <= SMALL_C) {
            for (int pc = 0; pc < k; pc += SimdSgemm.KC) {
                for (int t = lo; t < hi; t++) {
                    tile(transA, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, bp, t, pc, tile);
                }
            }
        } else {
            for (int t = lo; t < hi; t++) {
                for (int pc = 0; pc < k; pc += SimdSgemm.KC) {
                    tile(transA, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, bp, t, pc, tile);
                }
            }
        }
    }

    /**
     * Row tiles {@code [lo, hi)} of {@link WideTile}, each the whole width of C, in the order
     * {@link #tiles} chooses; op(B)'s steps are {@code ldb} floats apart (n in place, WIDTH packed).
     * The last tile overlaps the one before when m is not a multiple of its rows, and writes only
     * the rows no earlier tile wrote.
     */
    private static void wideTiles(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                                  int ldb, float[] c, int cOff, boolean accumulate, int lo, int hi, float[] tile) {
        if (k > SimdSgemm.KC && (long) m * n <= SMALL_C) {
            for (int pc = 0; pc < k; pc += SimdSgemm.KC) {
                for (int t = lo; t < hi; t++) {
                    wideTile(transA, m, n, k, a, aOff, b, bOff, ldb, c, cOff, accumulate, t, pc, tile);
                }
            }
        } else {
            for (int t = lo; t < hi; t++) {
                for (int pc = 0; pc < k; pc += SimdSgemm.KC) {
                    wideTile(transA, m, n, k, a, aOff, b, bOff, ldb, c, cOff, accumulate, t, pc, tile);
                }
            }
        }
    }

    /**
     * Row tile {@code t} over the KC block from step {@code pc}: in place while B's steps lie
     * inside its array, then the last steps, if any, from a zero-padded copy; then the write.
     */
    private static void wideTile(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                                 int ldb, float[] c, int cOff, boolean accumulate, int t, int pc, float[] tile) {
        int i = t * WideTile.ROWS;
        int i0 = Math.min(i, m - WideTile.ROWS);
        int kc = Math.min(SimdSgemm.KC, k - pc);
        int aIdx = transA ? aOff + pc * m + i0 : aOff + i0 * k + pc;
        int rowStride = transA ? 1 : k;
        int stepStride = transA ? m : 1;
        int bIdx = bOff + pc * ldb;
        int inside = WideTile.stepsInside(b, bIdx, ldb, kc);
        WideTile.compute(a, aIdx, rowStride, stepStride, b, bIdx, ldb, inside, false, tile);
        if (inside < kc) {
            float[] padded = SgemmScratch.get().a((kc - inside) * WideTile.WIDTH);
            for (int p = inside; p < kc; p++) {
                int d = (p - inside) * WideTile.WIDTH;
                System.arraycopy(b, bIdx + p * ldb, padded, d, n);
                Arrays.fill(padded, d + n, d + WideTile.WIDTH, 0f);
            }
            WideTile.compute(a, aIdx + inside * stepStride, rowStride, stepStride, padded, 0, WideTile.WIDTH,
                    kc - inside, true, tile);
        }
        WideTile.write(tile, i - i0, Math.min(WideTile.ROWS, m - i), c, cOff + i * n, n, pc == 0 && !accumulate);
    }

    /** Tile {@code t} over the KC block from step {@code pc}: its chain, then its write into C. */
    private static void tile(boolean transA, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
                             float[] c, int cOff, boolean accumulate, float[] bp, int t, int pc, float[] tile) {
        int panels = ceilDiv(n, NR);
        // The tile's own rows and columns of C, and where the tile starts: the last panels overlap.
        int i = t / panels * MR;
        int j = t % panels * NR;
        int rows = Math.min(MR, m - i);
        int cols = Math.min(NR, n - j);
        int i0 = Math.min(i, m - MR);
        int j0 = bp == null ? Math.min(j, n - NR) : j;
        int tOff = (i - i0) * NR + (j - j0);
        // op(B) in place (n floats between steps) or packed (NR apart, k steps a panel).
        int bStart = bp == null ? bOff + j0 : j * k;
        int ldb = bp == null ? n : NR;
        float[] bs = bp == null ? b : bp;
        int kc = Math.min(SimdSgemm.KC, k - pc);
        boolean store = pc == 0 && !accumulate;
        // A tile wholly inside C (it overlaps no earlier one, all its columns are C's) is written
        // by the kernel itself; an edge tile goes through scratch, which writes only its own part.
        boolean whole = tOff == 0 && rows == MR && cols == NR;
        float[] out = whole ? c : tile;
        int outIdx = whole ? cOff + i * n + j : 0;
        int ldo = whole ? n : NR;
        boolean add = whole && !store;
        if (transA) {
            InPlaceTile.columnMajorA(a, aOff + pc * m + i0, m, bs, bStart + pc * ldb, ldb, kc, out, outIdx, ldo, add);
        } else {
            InPlaceTile.rowMajorA(a, aOff + i0 * k + pc, k, bs, bStart + pc * ldb, ldb, kc, out, outIdx, ldo, add);
        }
        if (!whole) {
            RegisterTile.write(tile, tOff, c, cOff + i * n + j, n, rows, cols, store);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
