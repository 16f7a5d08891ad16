package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * The GRU cell with the reset gate applied after the recurrent product, as Keras
 * ({@code reset_after=True}), PyTorch and cuDNN define it. Gate blocks in the order z, r, n:
 * <pre>
 * z = sigmoid(x_z + rec_z)          update gate
 * r = sigmoid(x_r + rec_r)          reset gate
 * n = tanh(x_n + r * rec_n)         candidate, rec_n = h_{t-1} U_n + recurrent bias_n
 * h = z * h_{t-1} + (1 - z) * n
 * </pre>
 * Backward, with {@code d} the gradient of {@code h}: {@code da_n = d (1 - z)(1 - n^2)},
 * {@code da_z = d (h_{t-1} - n) z (1 - z)}, {@code da_r = da_n rec_n r (1 - r)}; the input
 * pre-activations get {@code (da_z, da_r, da_n)}, the recurrent ones {@code (da_z, da_r, da_n r)},
 * and {@code h_{t-1}} directly {@code d z}.
 */
final class GruCell extends RecurrentCell {
    static final int GATES = 3;

    private final Kernels kern = Kernels.get();
    /** z, r and n of every step, time-major rows of 3 * units. */
    private final float[] gates;
    /** rec_n of every step, the reset gate's operand, time-major rows of units. */
    private final float[] recN;

    GruCell(int batch, int time, int units) {
        super(batch, time, units);
        this.gates = new float[time * batch * GATES * units];
        this.recN = new float[time * batch * units];
    }

    @Override
    void forward(int t, int b, float[] x, int xOff, float[] rec, int recOff, float[] hPrev, int hPrevOff,
                 float[] h, int hOff) {
        int n = units;
        int row = row(t, b);
        int g = row * GATES * n;
        kern.add(x, xOff, rec, recOff, gates, g, 2 * n);
        kern.sigmoid(gates, g, gates, g, 2 * n);
        System.arraycopy(rec, recOff + 2 * n, recN, row * n, n);
        for (int j = 0; j < n; j++) {
            gates[g + 2 * n + j] = x[xOff + 2 * n + j] + gates[g + n + j] * rec[recOff + 2 * n + j];
        }
        kern.tanh(gates, g + 2 * n, gates, g + 2 * n, n);
        for (int j = 0; j < n; j++) {
            float z = gates[g + j];
            float cand = gates[g + 2 * n + j];
            h[hOff + j] = z * hPrev[hPrevOff + j] + (1f - z) * cand;
        }
    }

    @Override
    void backward(int t, int b, float[] hPrev, int hPrevOff, float[] dh, int dhOff, float[] dx, int dxOff,
                  float[] dRec, int dRecOff) {
        int n = units;
        int row = row(t, b);
        int g = row * GATES * n;
        int rn = row * n;
        for (int j = 0; j < n; j++) {
            float z = gates[g + j];
            float r = gates[g + n + j];
            float cand = gates[g + 2 * n + j];
            float d = dh[dhOff + j];
            float daN = d * (1f - z) * (1f - cand * cand);
            float daZ = d * (hPrev[hPrevOff + j] - cand) * z * (1f - z);
            float daR = daN * recN[rn + j] * r * (1f - r);
            dx[dxOff + j] += daZ;
            dx[dxOff + n + j] += daR;
            dx[dxOff + 2 * n + j] += daN;
            dRec[dRecOff + j] = daZ;
            dRec[dRecOff + n + j] = daR;
            dRec[dRecOff + 2 * n + j] = daN * r;
            dh[dhOff + j] = d * z;
        }
    }
}
