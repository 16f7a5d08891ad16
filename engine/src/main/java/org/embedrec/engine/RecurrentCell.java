package org.embedrec.engine;

/**
 * The arithmetic of one recurrent cell for {@link RecurrentOps}, which runs the loop over steps:
 * one instance per call, holding what the cell records in the forward pass for its backward pass.
 *
 * <p>At step {@code t} of sequence {@code b} the cell reads the input pre-activations {@code x}
 * ({@code gates * units} values, for the cell's number of gate blocks: the input times the input kernel, plus the bias, computed for
 * all steps by one matrix product before the loop), the recurrent pre-activations {@code rec}
 * (as many values: {@code h_{t-1} U + recurrent bias}, one product per step for the whole batch)
 * and the previous state {@code h_{t-1}}, and writes the new state {@code h_t}. The loop calls
 * it for real steps only: across a padded step every state is carried unchanged.
 *
 * <p>Calls for different sequences of one step may run on different threads at once: a cell
 * writes only the rows of sequence {@code b}.
 */
abstract class RecurrentCell {
    final int batch;
    final int time;
    final int units;

    RecurrentCell(int batch, int time, int units) {
        this.batch = batch;
        this.time = time;
        this.units = units;
    }

    /** The row of step {@code t}, sequence {@code b} in the cell's time-major records. */
    final int row(int t, int b) {
        return t * batch + b;
    }

    /**
     * Step {@code t} of sequence {@code b}: from {@code x[xOff ..]}, {@code rec[recOff ..]} and
     * {@code hPrev[hPrevOff ..]}, writes {@code h[hOff .. hOff + units)}; the arrays {@code h}
     * and {@code hPrev} are different.
     */
    abstract void forward(int t, int b, float[] x, int xOff, float[] rec, int recOff,
                          float[] hPrev, int hPrevOff, float[] h, int hOff);

    /**
     * The same step backwards. On entry {@code dh[dhOff ..]} holds the gradient of {@code h_t};
     * the cell adds the gradient of its input pre-activations into {@code dx[dxOff ..]}, writes
     * that of its recurrent pre-activations to {@code dRec[dRecOff ..]}, and replaces {@code dh}
     * by the part of the gradient of {@code h_{t-1}} that does not pass through the recurrent
     * kernel (the loop adds {@code dRec U^T}). A cell with more state (the LSTM's memory) carries
     * that state's gradient itself.
     */
    abstract void backward(int t, int b, float[] hPrev, int hPrevOff, float[] dh, int dhOff,
                           float[] dx, int dxOff, float[] dRec, int dRecOff);
}
