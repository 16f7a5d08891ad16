package org.embedrec.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.embedrec.engine.Parallel;

/**
 * SGEMM on the Vector API: the entry point, which picks one of four paths by shape, and the
 * cache-blocked path for everything but vector, small and narrow products.
 *
 * <p>Matrix-vector products (one row or one column of C) run {@link SimdGemv}. Small products
 * ({@code m n k <= SMALL}) run {@link #direct}: no packing, one thread. Narrow ones (at most {@link NarrowSgemm#NARROW_PANELS} register tiles wide) run
 * {@link NarrowSgemm}, which reads A in place and gives the same bits as the blocked path.
 *
 * <p>The blocked path is Goto/BLIS. C is split once per call into tasks, bands of rows or
 * (when C is wider than tall) chunks of column panels, one parallel region per call. Each task,
 * on its own, walks its columns in blocks of {@code NC} and the sum in blocks of {@code KC}: it
 * packs that block of op(B) into column panels {@code NR} wide (laid out step by step, so the
 * micro-kernel reads two contiguous vectors per step), then for each {@code MC} rows of its band
 * packs op(A) into row panels {@code MR} tall and runs {@link RegisterTile#packed}: {@code MR * 2}
 * vector accumulators updated by one broadcast and two FMAs per row per step. A B panel
 * ({@code KC * NR} floats) stays in L1 while all A panels of the block (in L2) stream past it.
 * Each task packs the B it needs and all of A for its rows, once per thread rather than once
 * per call, which costs far less than entering the pool twice per {@code KC} block would.
 *
 * <p>Determinism: threads split rows and columns of C, never the sum. Every element of C is
 * the same chain of FMAs over one {@code KC} block, added to C block by block in increasing
 * order, whatever the split; edge tiles run the same micro-kernel on zero-padded panels. So
 * the result is bit for bit the same on any number of threads.
 */
final class SimdSgemm {
    private static final VectorSpecies<Float> F = RegisterTile.F;
    private static final int L = RegisterTile.L;
    private static final int MR = RegisterTile.MR;
    private static final int NR = RegisterTile.NR;
    /** Summation block: one B panel, KC * NR floats, fits L1. */
    static final int KC = 256;
    /** Row block: MC * KC floats of packed A fit L2. A multiple of MR. */
    static final int MC = 128;
    /** Column block: KC * NC floats of packed B fit the shared cache. A multiple of NR. */
    static final int NC = 2048;
    /** Below this many multiply-adds, packing costs more than it saves. */
    static final long SMALL = 32L * 32 * 32;
    /** Below this many multiply-adds, forking costs more than it saves. */
    static final long PARALLEL_MIN = 1L << 20;

    private SimdSgemm() {}

    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        KernelBounds.checkSgemm(m, n, k, a, aOff, b, bOff, c, cOff);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c, cOff, cOff + m * n, 0f);
            }
            return;
        }
        if (SimdGemv.accepts(m, n)) {
            SimdGemv.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        long work = (long) m * n * k;
        if (work <= SMALL) {
            direct(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        int threads = work < PARALLEL_MIN ? 1 : Parallel.threads();
        if (NarrowSgemm.accepts(transB, m, n, k)) {
            NarrowSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate, threads);
        } else {
            blocked(transA, transB, m, n, k, a, aOff, b, bOff, null, c, cOff, accumulate, threads);
        }
    }

    /**
     * Packs all of op(B) once, in {@link PackedMatrix}'s layout: per KC block of steps, every
     * column panel, exactly as {@link #block} would pack them one NC block at a time.
     */
    static PackedMatrix pack(boolean transB, int n, int k, float[] b, int bOff) {
        int panels = ceilDiv(n, NR);
        float[] packed = new float[Math.multiplyExact(panels * NR, k)];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            int base = pc * panels * NR;
            for (int jp = 0; jp < panels; jp++) {
                PackedPanels.packB(transB, n, k, b, bOff, pc, kc, jp * NR, Math.min(NR, n - jp * NR),
                        packed, base + jp * NR * kc);
            }
        }
        return new PackedMatrix(transB, n, k, b, bOff, packed);
    }

    /**
     * {@code C = A * op(B)} with B packed: the shapes {@link #sgemm} gives to the vector, small or
     * narrow paths (whose bits differ, or which never pack) go there on B's source; the rest run
     * {@link #blocked} reading the panels, which gives the bits it would give packing them itself.
     */
    static void sgemmPacked(int m, float[] a, int aOff, PackedMatrix b, float[] c, int cOff) {
        int n = b.n;
        int k = b.k;
        KernelBounds.checkSgemm(m, n, k, a, aOff, b.source, b.sourceOff, c, cOff);
        long work = (long) m * n * k;
        if (m == 0 || n == 0 || k == 0 || SimdGemv.accepts(m, n) || work <= SMALL
                || NarrowSgemm.accepts(b.transB, m, n, k)) {
            sgemm(false, b.transB, m, n, k, a, aOff, b.source, b.sourceOff, c, cOff, false);
            return;
        }
        blocked(false, b.transB, m, n, k, a, aOff, b.source, b.sourceOff, b.panels, c, cOff, false,
                work < PARALLEL_MIN ? 1 : Parallel.threads());
    }

    /** Small products: no packing, one pass per row of C, single-threaded. */
    private static void direct(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        float[] aRow = transA && transB ? SgemmScratch.get().a(k) : null;
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (!transB) {
                // C[i,:] (+)= sum_p A[i,p] * B[p,:], a vector FMA over the row per step.
                if (!accumulate) {
                    Arrays.fill(c, ci, ci + n, 0f);
                }
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    rowFma(av, b, bOff + p * n, c, ci, n);
                }
            } else {
                // C[i,j] (+)= dot(A[i,:], B[j,:]): both rows contiguous once A's row is gathered.
                float[] ar = a;
                int ao = aOff + i * k;
                if (transA) {
                    for (int p = 0; p < k; p++) {
                        aRow[p] = a[aOff + p * m + i];
                    }
                    ar = aRow;
                    ao = 0;
                }
                for (int j = 0; j < n; j++) {
                    float d = dot(ar, ao, b, bOff + j * k, k);
                    c[ci + j] = accumulate ? c[ci + j] + d : d;
                }
            }
        }
    }

    private static void rowFma(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector va = FloatVector.broadcast(F, alpha);
        int j = 0;
        for (int bound = F.loopBound(n); j < bound; j += L) {
            va.fma(FloatVector.fromArray(F, x, xOff + j), FloatVector.fromArray(F, y, yOff + j))
                    .intoArray(y, yOff + j);
        }
        for (; j < n; j++) {
            y[yOff + j] = Math.fma(alpha, x[xOff + j], y[yOff + j]);
        }
    }

    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += L) {
            acc = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s = Math.fma(a[aOff + i], b[bOff + i], s);
        }
        return s;
    }

    /**
     * The cache-blocked path, for {@code m, n, k >= 1} of any size, on up to {@code threads}
     * threads; {@code packedB}, when not null, is all of op(B) in {@link PackedMatrix}'s layout.
     */
    static void blocked(boolean transA, boolean transB, int m, int n, int k,
                        float[] a, int aOff, float[] b, int bOff, float[] packedB, float[] c, int cOff,
                        boolean accumulate, int threads) {
        // One task per thread: a band of rows of C (the whole of C on one thread). Each task packs
        // the B panels its columns need itself, so the call enters the pool once, not twice per
        // KC block; bands as tall as m allows keep that repacking of B rare (once per thread).
        // When C is wider than tall, B is the larger operand: split the columns instead, so each
        // task packs only its share of B and repacks the smaller A.
        int panels = ceilDiv(n, NR);
        int band = m < n ? m : roundUp(ceilDiv(m, threads), MR);
        int bands = ceilDiv(m, band);
        // Too few bands for the threads: split the column panels.
        int colChunks = bands >= threads ? 1 : Math.min(panels, ceilDiv(threads, bands));
        int tasks = bands * colChunks;
        Parallel.forRange(tasks, threads == 1 ? tasks : 1, (lo, hi) -> {
            SgemmScratch s = SgemmScratch.get();
            for (int t = lo; t < hi; t++) {
                int i0 = (t / colChunks) * band;
                int chunk = t % colChunks;
                int j0 = (int) ((long) panels * chunk / colChunks) * NR;
                int j1 = Math.min(n, (int) ((long) panels * (chunk + 1) / colChunks) * NR);
                block(transA, transB, m, n, k, a, aOff, b, bOff, packedB, c, cOff, accumulate,
                        i0, Math.min(band, m - i0), j0, j1, s);
            }
        });
    }

    /**
     * Computes rows {@code [i0, i0+rows)}, columns {@code [j0, j1)} of C on the calling thread,
     * Goto-style: per NC columns and KC steps, pack that B block once, then stream MC-row blocks
     * of packed A past it. {@code j0} is a multiple of NR, so tiles (and edge padding) fall
     * where they would for the whole of C. With {@code packedB} the B block is read from it.
     */
    private static void block(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, float[] b, int bOff, float[] packedB, float[] c, int cOff,
                              boolean accumulate, int i0, int rows, int j0, int j1, SgemmScratch s) {
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int panels = ceilDiv(nc, NR);
            // KC blocks in increasing order: each adds its FMA chain to C, the first stores.
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean store = pc == 0 && !accumulate;
                float[] bp;
                int bBase;
                if (packedB != null) {
                    bp = packedB;
                    bBase = pc * ceilDiv(n, NR) * NR + (jc / NR) * NR * kc;
                } else {
                    bp = s.b(panels * NR * kc);
                    bBase = 0;
                    for (int jp = 0; jp < panels; jp++) {
                        PackedPanels.packB(transB, n, k, b, bOff, pc, kc, jc + jp * NR, Math.min(NR, nc - jp * NR),
                                bp, jp * NR * kc);
                    }
                }
                for (int ic = i0; ic < i0 + rows; ic += MC) {
                    int mc = Math.min(MC, i0 + rows - ic);
                    float[] ap = s.a(roundUp(mc, MR) * kc);
                    PackedPanels.packA(transA, m, k, a, aOff, ic, mc, pc, kc, ap);
                    for (int jp = 0; jp < panels; jp++) {
                        int cols = Math.min(NR, nc - jp * NR);
                        for (int ir = 0; ir < mc; ir += MR) {
                            RegisterTile.packed(ap, ir * kc, bp, bBase + jp * NR * kc, kc, s.tile);
                            RegisterTile.write(s.tile, 0, c, cOff + (ic + ir) * n + jc + jp * NR, n,
                                    Math.min(MR, mc - ir), cols, store);
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    private static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
