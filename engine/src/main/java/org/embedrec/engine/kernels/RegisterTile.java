package org.embedrec.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code MR x NR} register tile of SGEMM: its shape, the micro-kernel that computes one tile
 * of {@code op(A) op(B)} over one {@code KC} block of the sum from packed panels, and the write
 * of a tile into C.
 *
 * <p>Every element of a tile is one FMA chain, {@code t = fma(a[p], b[p], t)} for the steps
 * {@code p} of the block in increasing order, starting from +0. Every kernel keeps exactly that
 * chain; they differ only in where they read the operands: {@link #packed} from the panels of
 * {@link PackedPanels} (the blocked path), those of {@link InPlaceTile} where A and B lie (the
 * narrow path). The packed kernel stays a separate, fixed-stride copy: giving it strides made
 * large products 10-25% slower.
 */
final class RegisterTile {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Rows of the tile: one broadcast of A each per step. */
    static final int MR = 8;
    /** Columns of the tile: two vectors of B per step. */
    static final int NR = 2 * L;

    private RegisterTile() {}

    /**
     * {@code tile[MR x NR] = sum_p A-panel[p] (outer) B-panel[p]} over {@code kc} steps, from
     * packed panels: A's step {@code p} is the MR floats at {@code aIdx + p * MR}, B's the NR
     * floats at {@code bIdx + p * NR}. Sixteen accumulators, two B loads and eight broadcasts per
     * step fit the 32 vector registers of AVX-512.
     */
    static void packed(float[] ap, int aIdx, float[] bp, int bIdx, int kc, float[] tile) {
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

    /**
     * Stores ({@code store}, the first KC block without accumulate) or adds {@code rows x cols}
     * of a tile, from index {@code tOff} (row {@code tOff / NR}, column {@code tOff % NR}), into
     * C, whose rows are {@code ldc} apart. Full rows ({@code cols == NR}) start at column 0.
     */
    static void write(float[] tile, int tOff, float[] c, int cIdx, int ldc, int rows, int cols, boolean store) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            int ti = tOff + r * NR;
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
}
