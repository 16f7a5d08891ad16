package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.F;
import static org.embedrec.engine.kernels.RegisterTile.L;
import static org.embedrec.engine.kernels.RegisterTile.NR;

import jdk.incubator.vector.FloatVector;

/**
 * The register tile of {@link RegisterTile}, reading A and B where they lie instead of from
 * packed panels: the same {@code MR x NR} tile, the same FMA chain per element from +0 in step
 * order, so the same bits as {@link RegisterTile#packed} on the same values.
 *
 * <p>B's step {@code p} is the NR floats at {@code bIdx + p * ldb} (an untransposed B in place,
 * {@code ldb = n}; a packed panel, {@code ldb = NR}). A comes in one of two layouts, each with its
 * own kernel, so that every index into A is a loop-invariant base plus the step or plus a
 * constant, whose bounds checks the JIT can hoist or merge; one kernel taking both strides as
 * variables was 5-15% slower on our narrow products.
 *
 * <p>Each kernel ends by storing its {@code MR x NR} sums, or adding them ({@code add}: the sum
 * first, then C, each element rounded once as {@link RegisterTile#write} does), at {@code out}
 * in {@code c}, rows {@code ldo} apart: straight into C when the tile lies wholly inside it, into
 * a scratch tile ({@code ldo = NR}, {@code add} false) for {@link RegisterTile#write} to copy
 * the part that does otherwise. The in-batch softmax's products run short sums (32 to 256 steps)
 * over many tiles, where passing every tile through scratch was a sixth of their time.
 */
final class InPlaceTile {
    private InPlaceTile() {}

    /**
     * The tile over an op(A) stored by rows: row {@code r} of the tile at step {@code p} is
     * {@code a[aIdx + r * rowStride + p]} (an untransposed A, {@code rowStride = k}).
     */
    static void rowMajorA(float[] a, int aIdx, int rowStride,
                          float[] b, int bIdx, int ldb, int kc, float[] c, int out, int ldo, boolean add) {
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
        int a0 = aIdx;
        int a1 = aIdx + rowStride;
        int a2 = aIdx + 2 * rowStride;
        int a3 = aIdx + 3 * rowStride;
        int a4 = aIdx + 4 * rowStride;
        int a5 = aIdx + 5 * rowStride;
        int a6 = aIdx + 6 * rowStride;
        int a7 = aIdx + 7 * rowStride;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * ldb;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, a[a4 + p]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, a[a5 + p]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, a[a6 + p]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, a[a7 + p]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        // Each branch ends its vectors' lives: a vector reassigned in one branch and used after
        // the join is a merge the JIT may compile by boxing every vector, many times slower.
        if (add) {
            c00.add(FloatVector.fromArray(F, c, out)).intoArray(c, out);
            c01.add(FloatVector.fromArray(F, c, out + L)).intoArray(c, out + L);
            c10.add(FloatVector.fromArray(F, c, out + 1 * ldo)).intoArray(c, out + 1 * ldo);
            c11.add(FloatVector.fromArray(F, c, out + 1 * ldo + L)).intoArray(c, out + 1 * ldo + L);
            c20.add(FloatVector.fromArray(F, c, out + 2 * ldo)).intoArray(c, out + 2 * ldo);
            c21.add(FloatVector.fromArray(F, c, out + 2 * ldo + L)).intoArray(c, out + 2 * ldo + L);
            c30.add(FloatVector.fromArray(F, c, out + 3 * ldo)).intoArray(c, out + 3 * ldo);
            c31.add(FloatVector.fromArray(F, c, out + 3 * ldo + L)).intoArray(c, out + 3 * ldo + L);
            c40.add(FloatVector.fromArray(F, c, out + 4 * ldo)).intoArray(c, out + 4 * ldo);
            c41.add(FloatVector.fromArray(F, c, out + 4 * ldo + L)).intoArray(c, out + 4 * ldo + L);
            c50.add(FloatVector.fromArray(F, c, out + 5 * ldo)).intoArray(c, out + 5 * ldo);
            c51.add(FloatVector.fromArray(F, c, out + 5 * ldo + L)).intoArray(c, out + 5 * ldo + L);
            c60.add(FloatVector.fromArray(F, c, out + 6 * ldo)).intoArray(c, out + 6 * ldo);
            c61.add(FloatVector.fromArray(F, c, out + 6 * ldo + L)).intoArray(c, out + 6 * ldo + L);
            c70.add(FloatVector.fromArray(F, c, out + 7 * ldo)).intoArray(c, out + 7 * ldo);
            c71.add(FloatVector.fromArray(F, c, out + 7 * ldo + L)).intoArray(c, out + 7 * ldo + L);
        } else {
            c00.intoArray(c, out);
            c01.intoArray(c, out + L);
            c10.intoArray(c, out + 1 * ldo);
            c11.intoArray(c, out + 1 * ldo + L);
            c20.intoArray(c, out + 2 * ldo);
            c21.intoArray(c, out + 2 * ldo + L);
            c30.intoArray(c, out + 3 * ldo);
            c31.intoArray(c, out + 3 * ldo + L);
            c40.intoArray(c, out + 4 * ldo);
            c41.intoArray(c, out + 4 * ldo + L);
            c50.intoArray(c, out + 5 * ldo);
            c51.intoArray(c, out + 5 * ldo + L);
            c60.intoArray(c, out + 6 * ldo);
            c61.intoArray(c, out + 6 * ldo + L);
            c70.intoArray(c, out + 7 * ldo);
            c71.intoArray(c, out + 7 * ldo + L);
        }
    }

    /**
     * The tile over an op(A) stored by steps: the tile's MR rows at step {@code p} are the
     * contiguous {@code a[aIdx + p * stepStride ..+ MR)} (a transposed A, {@code stepStride = m}).
     */
    static void columnMajorA(float[] a, int aIdx, int stepStride,
                             float[] b, int bIdx, int ldb, int kc, float[] c, int out, int ldo, boolean add) {
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
            int bi = bIdx + p * ldb;
            int ai = aIdx + p * stepStride;
            FloatVector b0 = FloatVector.fromArray(F, b, bi);
            FloatVector b1 = FloatVector.fromArray(F, b, bi + L);
            FloatVector av = FloatVector.broadcast(F, a[ai]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[ai + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[ai + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[ai + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, a[ai + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, a[ai + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(F, a[ai + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(F, a[ai + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        // Each branch ends its vectors' lives: a vector reassigned in one branch and used after
        // the join is a merge the JIT may compile by boxing every vector, many times slower.
        if (add) {
            c00.add(FloatVector.fromArray(F, c, out)).intoArray(c, out);
            c01.add(FloatVector.fromArray(F, c, out + L)).intoArray(c, out + L);
            c10.add(FloatVector.fromArray(F, c, out + 1 * ldo)).intoArray(c, out + 1 * ldo);
            c11.add(FloatVector.fromArray(F, c, out + 1 * ldo + L)).intoArray(c, out + 1 * ldo + L);
            c20.add(FloatVector.fromArray(F, c, out + 2 * ldo)).intoArray(c, out + 2 * ldo);
            c21.add(FloatVector.fromArray(F, c, out + 2 * ldo + L)).intoArray(c, out + 2 * ldo + L);
            c30.add(FloatVector.fromArray(F, c, out + 3 * ldo)).intoArray(c, out + 3 * ldo);
            c31.add(FloatVector.fromArray(F, c, out + 3 * ldo + L)).intoArray(c, out + 3 * ldo + L);
            c40.add(FloatVector.fromArray(F, c, out + 4 * ldo)).intoArray(c, out + 4 * ldo);
            c41.add(FloatVector.fromArray(F, c, out + 4 * ldo + L)).intoArray(c, out + 4 * ldo + L);
            c50.add(FloatVector.fromArray(F, c, out + 5 * ldo)).intoArray(c, out + 5 * ldo);
            c51.add(FloatVector.fromArray(F, c, out + 5 * ldo + L)).intoArray(c, out + 5 * ldo + L);
            c60.add(FloatVector.fromArray(F, c, out + 6 * ldo)).intoArray(c, out + 6 * ldo);
            c61.add(FloatVector.fromArray(F, c, out + 6 * ldo + L)).intoArray(c, out + 6 * ldo + L);
            c70.add(FloatVector.fromArray(F, c, out + 7 * ldo)).intoArray(c, out + 7 * ldo);
            c71.add(FloatVector.fromArray(F, c, out + 7 * ldo + L)).intoArray(c, out + 7 * ldo + L);
        } else {
            c00.intoArray(c, out);
            c01.intoArray(c, out + L);
            c10.intoArray(c, out + 1 * ldo);
            c11.intoArray(c, out + 1 * ldo + L);
            c20.intoArray(c, out + 2 * ldo);
            c21.intoArray(c, out + 2 * ldo + L);
            c30.intoArray(c, out + 3 * ldo);
            c31.intoArray(c, out + 3 * ldo + L);
            c40.intoArray(c, out + 4 * ldo);
            c41.intoArray(c, out + 4 * ldo + L);
            c50.intoArray(c, out + 5 * ldo);
            c51.intoArray(c, out + 5 * ldo + L);
            c60.intoArray(c, out + 6 * ldo);
            c61.intoArray(c, out + 6 * ldo + L);
            c70.intoArray(c, out + 7 * ldo);
            c71.intoArray(c, out + 7 * ldo + L);
        }
    }
}
