package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.F;
import static org.embedrec.engine.kernels.RegisterTile.L;

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
 * <p>op(B) is packed first into one panel {@link #WIDTH} floats wide, zero past column n, so the
 * fourth vector needs no mask; the zero columns are never written to C. Every element of C is
 * the same FMA chain from +0 in step order as {@link RegisterTile} computes, so the same bits.
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
            for (int j = n; j < WIDTH; j++) {
                bp[d + j] = 0f;
            }
        }
    }

    /**
     * {@code tile[ROWS x WIDTH] = sum_p op(A)[rows, p] (outer) Bpanel[p]} over {@code kc} steps:
     * op(A)'s row {@code r} at step {@code p} is {@code a[aIdx + r * rowStride + p * stepStride]}
     * (an untransposed A: {@code rowStride = k, stepStride = 1}; a transposed one: {@code 1, m}),
     * B's step {@code p} the WIDTH floats at {@code bIdx + p * WIDTH}.
     */
    static void compute(float[] a, int aIdx, int rowStride, int stepStride,
                        float[] bp, int bIdx, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(F);
        FloatVector c01 = c00;
        FloatVector c02 = c00;
        FloatVector c03 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c12 = c00;
        FloatVector c13 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c22 = c00;
        FloatVector c23 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c32 = c00;
        FloatVector c33 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c42 = c00;
        FloatVector c43 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        FloatVector c52 = c00;
        FloatVector c53 = c00;
        int a0 = aIdx;
        int a1 = aIdx + rowStride;
        int a2 = aIdx + 2 * rowStride;
        int a3 = aIdx + 3 * rowStride;
        int a4 = aIdx + 4 * rowStride;
        int a5 = aIdx + 5 * rowStride;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * WIDTH;
            int ai = p * stepStride;
            FloatVector b0 = FloatVector.fromArray(F, bp, bi);
            FloatVector b1 = FloatVector.fromArray(F, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(F, bp, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, bp, bi + 3 * L);
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
