package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * The LSTM cell as Keras and PyTorch define it (no peepholes). Gate blocks in Keras's order
 * i, f, g, o, each {@code a = x + rec} with {@code rec = h_{t-1} U}:
 * <pre>
 * i = sigmoid(a_i)   f = sigmoid(a_f)   g = tanh(a_g)   o = sigmoid(a_o)
 * c = f * c_{t-1} + i * g               the memory, carried across padded steps like h
 * h = o * tanh(c)
 * </pre>
 * Backward, with {@code d} the gradient of {@code h} and {@code dc} the memory's gradient
 * arriving from step {@code t + 1}: {@code dc' = dc + d o (1 - tanh(c)^2)}, then
 * {@code da_i = dc' g i (1 - i)}, {@code da_f = dc' c_{t-1} f (1 - f)},
 * {@code da_g = dc' i (1 - g^2)}, {@code da_o = d tanh(c) o (1 - o)}, and {@code c_{t-1}}
 * receives {@code dc' f}. Input and recurrent pre-activations get the same gradient; {@code h_{t-1}}
 * is reached only through the recurrent kernel.
 */
final class LstmCell extends RecurrentCell {
    static final int GATES = 4;

    private final Kernels kern = Kernels.get();
    /** i, f, g and o of every step, time-major rows of 4 * units. */
    private final float[] gates;
    /** c_{t-1} and tanh(c_t) of every step, time-major rows of units. */
    private final float[] cPrev;
    private final float[] tanhC;
    /** The memory of each sequence, forward; its gradient, backward. */
    private final float[] c;
    private final float[] dc;

    LstmCell(int batch, int time, int units) {
        super(batch, time, units);
        this.gates = new float[time * batch * GATES * units];
        this.cPrev = new float[time * batch * units];
        this.tanhC = new float[time * batch * units];
        this.c = new float[batch * units];
        this.dc = new float[batch * units];
    }

    @Override
    void forward(int t, int b, float[] x, int xOff, float[] rec, int recOff, float[] hPrev, int hPrevOff,
                 float[] h, int hOff) {
        int n = units;
        int row = row(t, b);
        int g = row * GATES * n;
        int rn = row * n;
        int cb = b * n;
        kern.add(x, xOff, rec, recOff, gates, g, GATES * n);
        kern.sigmoid(gates, g, gates, g, 2 * n);
        kern.tanh(gates, g + 2 * n, gates, g + 2 * n, n);
        kern.sigmoid(gates, g + 3 * n, gates, g + 3 * n, n);
        System.arraycopy(c, cb, cPrev, rn, n);
        for (int j = 0; j < n; j++) {
            c[cb + j] = gates[g + n + j] * c[cb + j] + gates[g + j] * gates[g + 2 * n + j];
        }
        kern.tanh(c, cb, tanhC, rn, n);
        kern.mul(gates, g + 3 * n, tanhC, rn, h, hOff, n);
    }

    @Override
    void backward(int t, int b, float[] hPrev, int hPrevOff, float[] dh, int dhOff, float[] dx, int dxOff,
                  float[] dRec, int dRecOff) {
        int n = units;
        int row = row(t, b);
        int g = row * GATES * n;
        int rn = row * n;
        int cb = b * n;
        for (int j = 0; j < n; j++) {
            float i = gates[g + j];
            float f = gates[g + n + j];
            float cand = gates[g + 2 * n + j];
            float o = gates[g + 3 * n + j];
            float tc = tanhC[rn + j];
            float d = dh[dhOff + j];
            float dcTotal = dc[cb + j] + d * o * (1f - tc * tc);
            float daI = dcTotal * cand * i * (1f - i);
            float daF = dcTotal * cPrev[rn + j] * f * (1f - f);
            float daG = dcTotal * i * (1f - cand * cand);
            float daO = d * tc * o * (1f - o);
            dx[dxOff + j] += daI;
            dx[dxOff + n + j] += daF;
            dx[dxOff + 2 * n + j] += daG;
            dx[dxOff + 3 * n + j] += daO;
            dRec[dRecOff + j] = daI;
            dRec[dRecOff + n + j] = daF;
            dRec[dRecOff + 2 * n + j] = daG;
            dRec[dRecOff + 3 * n + j] = daO;
            dc[cb + j] = dcTotal * f;
            dh[dhOff + j] = 0f;
        }
    }
}
