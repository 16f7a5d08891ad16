package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.F;
import static org.embedrec.engine.kernels.RegisterTile.L;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * A register tile four vectors wide and {@link #ROWS} rows tall, for products whose whole output
 * row fits in four vectors ({@code 3L < n <= 4L}: 49 to 64 columns on AVX-512), such as the
 * {@code [steps, 50] x [50, 50]} products of SASRec's dense layers.
 *
 * <p>With {@link RegisterTile}'s two-vector tiles such a product is two column panels, the second
 * overlapping the first (columns 18 to 49 for n = 50), and each panel reads every value of A
 * again: per row and step two broadcasts for four FMAs. This tile covers the row in one panel:
 * one broadcast per four FMAs, each row of A read once, and C written once per row instead of in
 * two overlapping pieces. Twenty-four accumulators, four B vectors and a broadcast fit AVX-512's
 * 32 registers. Measured on AVX-512, one thread, CPU time, load 11: {@code [11264, 50] x [50, 50]}
 * 1.29 -> 1.08 ms, with B transposed 1.42 -> 1.04 ms; at n = 64, where nothing overlapped, about
 * the same as two panels.
 *
 * <p>A short op(B) (a dense layer's kernel, up to {@code KC} steps) or a transposed one is packed
 * first, {@link #WIDTH} floats a step, zero past column n, so every load is aligned. A long one
 * (the {@code dZ [steps, n]} of a weight gradient {@code X^T dZ}) is read where it lies, n floats
 * a step, rather than copied whole for each product. The fourth vector then reads past column n
 * into the next step (a masked load, which Java 17 does not compile to one instruction, made the
 * kernel four times slower); the last steps, whose fourth vector would pass the end of the
 * array, run from a zero-padded copy. Every element of C is the same FMA chain from +0 in step
 * order as {@link RegisterTile} computes, so the same bits.
 */
final class WideTile {
    /** Rows of the tile. */
    static final int ROWS = 6;
    /** Columns of the tile: four vectors. */
    static final int WIDTH = 4 * L;

    private WideTile() {}

    /**
     * Whether the tile serves here: the machine has 32 vector registers (512-bit vectors, AVX-512;
     * AVX2's 16 would spill the accumulators) and a product n columns wide fills the tile's last
     * vector (more than three vectors, at most four).
     */
    static boolean fits(int n) {
        return F.vectorBitSize() >= 512 && n > 3 * L && n <= WIDTH;
    }

    /** op(B) ({@code k x n}) into {@code bp}: k steps of {@link #WIDTH} floats, zero past column n. */
    static void packB(boolean transB, int n, int k, float[] b, int bOff, float[] bp) {
        for (int p = 0; p < k; p++) {
            int d = p * WIDTH;
            if (transB) {
                for (int j = 0; j < n; j++) {
                    bp[d + j] = b[bOff + j * k + p];
                }
            } else {
                System.arraycopy(b, bOff + p * n, bp, d, n);
            }
            Arrays.fill(bp, d + n, d + WIDTH, 0f);
        }
    }

    /**
     * How many of the {@code kc} steps from {@code bIdx}, {@code ldb} floats apart, have all four
     * vectors inside {@code b}: the steps {@link #compute} may read in place.
     */
    static int stepsInside(float[] b, int bIdx, int ldb, int kc) {
        long room = (long) b.length - WIDTH - bIdx;
        return room < 0 ? 0 : (int) Math.min(kc, room / ldb + 1);
    }

    /**
     * {@code tile[ROWS x WIDTH] (+)= sum_p op(A)[rows, p] (outer) op(B)[p]} over {@code kc} steps,
     * starting from +0 or, with {@code resume}, from the tile as a previous call left it (the same
     * chain continued: a float stored and loaded is unchanged). op(A)'s row {@code r} at step
     * {@code p} is {@code a[aIdx + r * rowStride + p * stepStride]} (an untransposed A:
     * {@code rowStride = k, stepStride = 1}; a transposed one: {@code 1, m}), op(B)'s step
     * {@code p} the four vectors at {@code bIdx + p * ldb}, all inside {@code b}
     * ({@link #stepsInside}). With {@code ldb = n < WIDTH} the fourth vector runs into the next
     * step's columns: its lanes past column n hold whatever lies there, and are never written to C.
     */
    static void compute(float[] a, int aIdx, int rowStride, int stepStride,
                        float[] b, int bIdx, int ldb, int kc, boolean resume, float[] tile) {
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = resume ? FloatVector.fromArray(F, tile, 0) : z;
        FloatVector c01 = resume ? FloatVector.fromArray(F, tile, L) : z;
        FloatVector c02 = resume ? FloatVector.fromArray(F, tile, 2 * L) : z;
        FloatVector c03 = resume ? FloatVector.fromArray(F, tile, 3 * L) : z;
        FloatVector c10 = resume ? FloatVector.fromArray(F, tile, WIDTH) : z;
        FloatVector c11 = resume ? FloatVector.fromArray(F, tile, WIDTH + L) : z;
        FloatVector c12 = resume ? FloatVector.fromArray(F, tile, WIDTH + 2 * L) : z;
        FloatVector c13 = resume ? FloatVector.fromArray(F, tile, WIDTH + 3 * L) : z;
        FloatVector c20 = resume ? FloatVector.fromArray(F, tile, 2 * WIDTH) : z;
        FloatVector c21 = resume ? FloatVector.fromArray(F, tile, 2 * WIDTH + L) : z;
        FloatVector c22 = resume ? FloatVector.fromArray(F, tile, 2 * WIDTH + 2 * L) : z;
        FloatVector c23 = resume ? FloatVector.fromArray(F, tile, 2 * WIDTH + 3 * L) : z;
        FloatVector c30 = resume ? FloatVector.fromArray(F, tile, 3 * WIDTH) : z;
        FloatVector c31 = resume ? FloatVector.fromArray(F, tile, 3 * WIDTH + L) : z;
        FloatVector c32 = resume ? FloatVector.fromArray(F, tile, 3 * WIDTH + 2 * L) : z;
        FloatVector c33 = resume ? FloatVector.fromArray(F, tile, 3 * WIDTH + 3 * L) : z;
        FloatVector c40 = resume ? FloatVector.fromArray(F, tile, 4 * WIDTH) : z;
        FloatVector c41 = resume ? FloatVector.fromArray(F, tile, 4 * WIDTH + L) : z;
        FloatVector c42 = resume ? FloatVector.fromArray(F, tile, 4 * WIDTH + 2 * L) : z;
        FloatVector c43 = resume ? FloatVector.fromArray(F, tile, 4 * WIDTH + 3 * L) : z;
        FloatVector c50 = resume ? FloatVector.fromArray(F, tile, 5 * WIDTH) : z;
        FloatVector c51 = resume ? FloatVector.fromArray(F, tile, 5 * WIDTH + L) : z;
        FloatVector c52 = resume ? FloatVector.fromArray(F, tile, 5 * WIDTH + 2 * L) : z;
        FloatVector c53 = resume ? FloatVector.fromArray(F, tile, 5 * WIDTH + 3 * L) : z;
        int a0 = aIdx;
        int a1 = aIdx + rowStride;
        int a2 = aIdx + 2 * rowStride;
        int a3 = aIdx + 3 * rowStride;
        int a4 = aIdx + 4 * rowStride;
        int a5 = aIdx + 5 * rowStride;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * ldb;
            int ai = p * stepStride;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, b, bi + 3 * L);
            FloatVector av = FloatVector.broadcast(F, a[a0 + ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(F, a[a1 + ai]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(F, a[a2 + ai]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            c22 = av.fma(b2, c22);
            c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(F, a[a3 + ai]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            c32 = av.fma(b2, c32);
            c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(F, a[a4 + ai]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            c42 = av.fma(b2, c42);
            c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(F, a[a5 + ai]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            c52 = av.fma(b2, c52);
            c53 = av.fma(b3, c53);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, WIDTH);
        c11.intoArray(tile, WIDTH + L);
        c12.intoArray(tile, WIDTH + 2 * L);
        c13.intoArray(tile, WIDTH + 3 * L);
        c20.intoArray(tile, 2 * WIDTH);
        c21.intoArray(tile, 2 * WIDTH + L);
        c22.intoArray(tile, 2 * WIDTH + 2 * L);
        c23.intoArray(tile, 2 * WIDTH + 3 * L);
        c30.intoArray(tile, 3 * WIDTH);
        c31.intoArray(tile, 3 * WIDTH + L);
        c32.intoArray(tile, 3 * WIDTH + 2 * L);
        c33.intoArray(tile, 3 * WIDTH + 3 * L);
        c40.intoArray(tile, 4 * WIDTH);
        c41.intoArray(tile, 4 * WIDTH + L);
        c42.intoArray(tile, 4 * WIDTH + 2 * L);
        c43.intoArray(tile, 4 * WIDTH + 3 * L);
        c50.intoArray(tile, 5 * WIDTH);
        c51.intoArray(tile, 5 * WIDTH + L);
        c52.intoArray(tile, 5 * WIDTH + 2 * L);
        c53.intoArray(tile, 5 * WIDTH + 3 * L);
    }

    /**
     * Stores ({@code store}) or adds tile rows {@code [r0, r0 + rows)}, columns {@code [0, n)},
     * into the rows of C from {@code cIdx}, {@code n} apart: the first three vectors whole, the
     * rest of each row element by element, each rounded once as {@link RegisterTile#write} does.
     */
    static void write(float[] tile, int r0, int rows, float[] c, int cIdx, int n, boolean store) {
        for (int r = 0; r < rows; r++) {
            int ti = (r0 + r) * WIDTH;
            int ci = cIdx + r * n;
            for (int v = 0; v < 3 * L; v += L) {
                FloatVector t = FloatVector.fromArray(F, tile, ti + v);
                if (!store) {
                    t = t.add(FloatVector.fromArray(F, c, ci + v));
                }
                t.intoArray(c, ci + v);
            }
            for (int j = 3 * L; j < n; j++) {
                c[ci + j] = store ? tile[ti + j] : c[ci + j] + tile[ti + j];
            }
        }
    }
}
