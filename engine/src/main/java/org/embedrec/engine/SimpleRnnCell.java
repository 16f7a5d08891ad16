package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * The Elman cell: {@code h = tanh(x + rec)} with {@code rec = h_{t-1} U}. Backward,
 * {@code da = d (1 - h^2)} for both the input and the recurrent pre-activations; {@code h_{t-1}}
 * is reached only through the recurrent kernel.
 */
final class SimpleRnnCell extends RecurrentCell {
    static final int GATES = 1;

    private final Kernels kern = Kernels.get();
    /** h of every step, time-major rows of units. */
    private final float[] states;

    SimpleRnnCell(int batch, int time, int units) {
        super(batch, time, units);
        this.states = new float[time * batch * units];
    }

    @Override
    void forward(int t, int b, float[] x, int xOff, float[] rec, int recOff, float[] hPrev, int hPrevOff,
                 float[] h, int hOff) {
        int s = row(t, b) * units;
        kern.add(x, xOff, rec, recOff, states, s, units);
        kern.tanh(states, s, states, s, units);
        System.arraycopy(states, s, h, hOff, units);
    }

    @Override
    void backward(int t, int b, float[] hPrev, int hPrevOff, float[] dh, int dhOff, float[] dx, int dxOff,
                  float[] dRec, int dRecOff) {
        int s = row(t, b) * units;
        for (int j = 0; j < units; j++) {
            float y = states[s + j];
            float da = dh[dhOff + j] * (1f - y * y);
            dx[dxOff + j] += da;
            dRec[dRecOff + j] = da;
            dh[dhOff + j] = 0f;
        }
    }
}
