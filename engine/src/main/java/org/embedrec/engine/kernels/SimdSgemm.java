package org.embedrec.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.embedrec.engine.Parallel;

/**
 * Cache-blocked SGEMM on the Vector API, in the Goto/BLIS layout.
 *
 * <p>C is split once per call into tasks, bands of rows times (for small m) chunks of column
 * panels, one parallel region per call. Each task, on its own, walks its columns in blocks of
 * {@code NC} and the sum in blocks of {@code KC}: it packs that block of op(B) into column panels
 * {@code NR} wide (laid out step by step, so the micro-kernel reads two contiguous vectors per
 * step), then for each {@code MC} rows of its band packs op(A) into row panels {@code MR} tall
 * and runs the {@code MR x NR} register-tiled micro-kernel: {@code MR * 2} vector accumulators
 * updated by one broadcast and two FMAs per row per step. A B panel ({@code KC * NR} floats)
 * stays in L1 while all A panels of the block (in L2) stream past it. Each task packs the B it
 * needs, once per thread rather than once per call, which costs far less than entering the pool
 * twice per {@code KC} block would.
 *
 * <p>Determinism: threads split rows and columns of C, never the sum. Every element of C is
 * the same chain of FMAs over one {@code KC} block, added to C block by block in increasing
 * order, whatever the split; edge tiles run the same micro-kernel on zero-padded panels. So
 * the result is bit for bit the same on any number of threads.
 */
final class SimdSgemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Micro-tile: MR rows by two vectors of columns. */
    static final int MR = 8;
    static final int NR = 2 * L;
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

    /** Per-thread scratch: a task packs its block of B into {@code b}, its rows of A into {@code a}. */
    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];

        float[] a(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] b(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
        long work = (long) m * n * k;
        if (work <= SMALL) {
            direct(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
            return;
        }
        blocked(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate,
                work < PARALLEL_MIN ? 1 : Parallel.threads());
    }

    /** Small products: no packing, one pass per row of C, single-threaded. */
    private static void direct(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate) {
        float[] aRow = transA && transB ? SCRATCH.get().a(k) : null;
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

    private static void blocked(boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                                boolean accumulate, int threads) {
        // One task per thread: a band of rows of C (the whole of C on one thread). Each task packs
        // the B panels its columns need itself, so the call enters the pool once, not twice per
        // KC block; bands as tall as m allows keep that repacking of B rare (once per thread).
        int band = roundUp(ceilDiv(m, threads), MR);
        int bands = ceilDiv(m, band);
        int panels = ceilDiv(n, NR);
        // Too few bands for the threads (small m): also split the column panels.
        int colChunks = bands >= threads ? 1 : Math.min(panels, ceilDiv(threads, bands));
        int tasks = bands * colChunks;
        Parallel.forRange(tasks, threads == 1 ? tasks : 1, (lo, hi) -> {
            Scratch s = SCRATCH.get();
            for (int t = lo; t < hi; t++) {
                int i0 = (t / colChunks) * band;
                int chunk = t % colChunks;
                int j0 = (int) ((long) panels * chunk / colChunks) * NR;
                int j1 = Math.min(n, (int) ((long) panels * (chunk + 1) / colChunks) * NR);
                block(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate,
                        i0, Math.min(band, m - i0), j0, j1, s);
            }
        });
    }

    /**
     * Computes rows {@code [i0, i0+rows)}, columns {@code [j0, j1)} of C on the calling thread,
     * Goto-style: per NC columns and KC steps, pack that B block once, then stream MC-row blocks
     * of packed A past it. {@code j0} is a multiple of NR, so tiles (and edge padding) fall
     * where they would for the whole of C.
     */
    private static void block(boolean transA, boolean transB, int m, int n, int k,
                              float[] a, int aOff, float[] b, int bOff, float[] c, int cOff,
                              boolean accumulate, int i0, int rows, int j0, int j1, Scratch s) {
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            int panels = ceilDiv(nc, NR);
            // KC blocks in increasing order: each adds its FMA chain to C, the first stores.
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean store = pc == 0 && !accumulate;
                float[] bp = s.b(panels * NR * kc);
                for (int jp = 0; jp < panels; jp++) {
                    packB(transB, n, k, b, bOff, pc, kc, jc + jp * NR, Math.min(NR, nc - jp * NR),
                            bp, jp * NR * kc);
                }
                for (int ic = i0; ic < i0 + rows; ic += MC) {
                    int mc = Math.min(MC, i0 + rows - ic);
                    float[] ap = s.a(roundUp(mc, MR) * kc);
                    packA(transA, m, k, a, aOff, ic, mc, pc, kc, ap);
                    for (int jp = 0; jp < panels; jp++) {
                        int cols = Math.min(NR, nc - jp * NR);
                        for (int ir = 0; ir < mc; ir += MR) {
                            microKernel(ap, ir * kc, bp, jp * NR * kc, kc, s.tile);
                            writeTile(s.tile, c, cOff + (ic + ir) * n + jc + jp * NR, n,
                                    Math.min(MR, mc - ir), cols, store);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs rows {@code [i0, i0+rows)}, steps {@code [p0, p0+kc)} of op(A) into panels of MR
     * rows: panel r holds {@code kc} groups of MR floats, one group per step. Missing rows are 0.
     */
    private static void packA(boolean transA, int m, int k, float[] a, int aOff,
                              int i0, int rows, int p0, int kc, float[] ap) {
        for (int ir = 0; ir < rows; ir += MR) {
            int base = ir * kc;
            int live = Math.min(MR, rows - ir);
            if (transA) {
                // op(A)[i,p] = A[p,i]: each step's MR values are contiguous in A.
                for (int p = 0; p < kc; p++) {
                    int src = aOff + (p0 + p) * m + i0 + ir;
                    int dst = base + p * MR;
                    for (int r = 0; r < live; r++) {
                        ap[dst + r] = a[src + r];
                    }
                    for (int r = live; r < MR; r++) {
                        ap[dst + r] = 0f;
                    }
                }
            } else {
                for (int r = 0; r < live; r++) {
                    int src = aOff + (i0 + ir + r) * k + p0;
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = a[src + p];
                    }
                }
                for (int r = live; r < MR; r++) {
                    for (int p = 0; p < kc; p++) {
                        ap[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs steps {@code [p0, p0+kc)}, columns {@code [j0, j0+cols)} of op(B) into one panel at
     * {@code dst}: {@code kc} rows of NR floats. Missing columns are 0.
     */
    private static void packB(boolean transB, int n, int k, float[] b, int bOff,
                              int p0, int kc, int j0, int cols, float[] bp, int dst) {
        if (transB) {
            // op(B)[p,j] = B[j,p]: walk each stored row of B contiguously.
            for (int jj = 0; jj < cols; jj++) {
                int src = bOff + (j0 + jj) * k + p0;
                for (int p = 0; p < kc; p++) {
                    bp[dst + p * NR + jj] = b[src + p];
                }
            }
            for (int jj = cols; jj < NR; jj++) {
                for (int p = 0; p < kc; p++) {
                    bp[dst + p * NR + jj] = 0f;
                }
            }
        } else if (cols == NR) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * n + j0;
                int d = dst + p * NR;
                FloatVector.fromArray(F, b, src).intoArray(bp, d);
                FloatVector.fromArray(F, b, src + L).intoArray(bp, d + L);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = bOff + (p0 + p) * n + j0;
                int d = dst + p * NR;
                for (int jj = 0; jj < cols; jj++) {
                    bp[d + jj] = b[src + jj];
                }
                for (int jj = cols; jj < NR; jj++) {
                    bp[d + jj] = 0f;
                }
            }
        }
    }

    /**
     * The register tile: {@code tile[MR x NR] = sum_p A-panel[p] (outer) B-panel[p]}, each
     * element one FMA chain in step order. Sixteen accumulators, two B loads and eight
     * broadcasts per step fit the 32 vector registers of AVX-512.
     */
    private static void microKernel(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c60 = c00;
        FloatVector c61 = c00;
        FloatVector c70 = c00;
        FloatVector c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector av = FloatVector.broadcast(F, ap[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, ap[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, ap[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, ap[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, ap[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, ap[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, ap[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, ap[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** Stores ({@code store}) or adds the live {@code rows x cols} corner of a tile into C. */
    private static void writeTile(float[] tile, float[] c, int cIdx, int ldc, int rows, int cols, boolean store) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            int ti = r * NR;
            if (cols == NR) {
                FloatVector t0 = FloatVector.fromArray(F, tile, ti);
                FloatVector t1 = FloatVector.fromArray(F, tile, ti + L);
                if (!store) {
                    t0 = t0.add(FloatVector.fromArray(F, c, ci));
                    t1 = t1.add(FloatVector.fromArray(F, c, ci + L));
                }
                t0.intoArray(c, ci);
                t1.intoArray(c, ci + L);
            } else if (store) {
                System.arraycopy(tile, ti, c, ci, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] += tile[ti + j];
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
