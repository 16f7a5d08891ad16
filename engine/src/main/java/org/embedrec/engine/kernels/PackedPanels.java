package org.embedrec.engine.kernels;

import static org.embedrec.engine.kernels.RegisterTile.F;
import static org.embedrec.engine.kernels.RegisterTile.L;
import static org.embedrec.engine.kernels.RegisterTile.MR;
import static org.embedrec.engine.kernels.RegisterTile.NR;

import jdk.incubator.vector.FloatVector;

/**
 * Copies blocks of {@code op(A)} and {@code op(B)} into the panel layouts that
 * {@link RegisterTile#packed} reads: A in panels of MR rows, B in panels of NR columns, each laid
 * out step by step so that one step of a panel is contiguous whatever the transposition.
 * Rows or columns past the matrix's edge are zero, so edge tiles run the full-size kernel; their
 * padded results are never written to C.
 */
final class PackedPanels {
    private PackedPanels() {}

    /**
     * Packs rows {@code [i0, i0+rows)}, steps {@code [p0, p0+kc)} of op(A) into panels of MR
     * rows: panel r holds {@code kc} groups of MR floats, one group per step. Missing rows are 0.
     */
    static void packA(boolean transA, int m, int k, float[] a, int aOff,
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
    static void packB(boolean transB, int n, int k, float[] b, int bOff,
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
}
