package org.embedrec.engine;

import java.util.function.Function;
import org.embedrec.engine.kernels.Kernels;

/**
 * A recurrent layer's loop over the steps of a batch of sequences, as one op on the tape: GRU,
 * LSTM and simple RNN differ only in their {@link RecurrentCell}.
 *
 * <p>Inputs are the input pre-activations {@code [batch, time, gates * units]} (the layer
 * computes {@code x W + b} for every step with one matrix product before calling), the recurrent
 * kernel {@code U [units, gates * units]}, an optional recurrent bias {@code [gates * units]} and
 * an optional {@link SequenceMask}. The state starts at zero. Each step costs one product
 * {@code h_{t-1} U} for the whole batch, then the cell's element-wise gates, row by row over the
 * threads. Across a padded step the state is carried unchanged; the op returns the states of
 * every step {@code [batch, time, units]} (zero at padded steps) or the state after the last step
 * {@code [batch, units]}, which is the state after each sequence's last real step however it is
 * padded.
 *
 * <p>Backward runs the steps in reverse: at each, the cell turns the gradient of {@code h_t} into
 * the gradients of its pre-activations, and {@code dRec U^T} sends the recurrent part back to
 * {@code h_{t-1}}; a padded step passes the gradient through untouched and receives none. The
 * kernel's gradient is then one product over all steps at once, {@code dU = H_prev^T dRec} with
 * the previous states and recurrent gradients of every step stacked; the recurrent bias gets the
 * column sums of {@code dRec}. Per-step records are kept time-major, so each step's block of the
 * batch is one contiguous matrix for the products. Rows are independent and every sum has a fixed
 * order, so the result is the same on any number of threads.
 */
final class RecurrentOps {
    /** Elements of gate arithmetic per parallel chunk: below this a fork costs more than it saves. */
    static final int GRAIN_ELEMENTS = 8192;

    private RecurrentOps() {}

    /**
     * Runs {@code newCell} (given batch, time and units) over {@code inputs}; {@code recurrentBias}
     * and {@code mask} may be null.
     */
    static Tensor run(String op, int gates, CellFactory newCell, Tensor inputs, Tensor recurrentKernel,
                      Tensor recurrentBias, SequenceMask mask, boolean returnSequences) {
        int units = checkShapes(op, gates, inputs, recurrentKernel, recurrentBias);
        int batch = inputs.dim(0);
        int time = inputs.dim(1);
        int width = gates * units;
        if (mask != null) {
            mask.checkCovers(op, batch, time);
        }
        boolean[] valid = mask == null ? null : mask.flags();
        RecurrentCell cell = newCell.create(batch, time, units);
        Kernels kern = Kernels.get();
        float[] xs = inputs.data();
        float[] u = recurrentKernel.data();
        float[] hPrevAll = new float[time * batch * units];
        float[] h = new float[batch * units];
        float[] rec = new float[batch * width];
        Tensor out = returnSequences ? Tensor.zeros(batch, time, units) : Tensor.zeros(batch, units);
        float[] o = out.data();
        boolean[] anyValid = new boolean[time];
        int grain = Math.max(1, GRAIN_ELEMENTS / Math.max(1, width));
        for (int t = 0; t < time; t++) {
            int step = t;
            anyValid[t] = anyValid(valid, batch, time, t);
            int prevOff = t * batch * units;
            System.arraycopy(h, 0, hPrevAll, prevOff, batch * units);
            if (!anyValid[t]) {
                continue;
            }
            kern.sgemm(false, false, batch, width, units, hPrevAll, prevOff, u, 0, rec, 0, false);
            if (recurrentBias != null) {
                kern.addBias(rec, 0, batch, width, recurrentBias.data(), 0, false);
            }
            Parallel.forRange(batch, grain, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int bt = b * time + step;
                    if (valid != null && !valid[bt]) {
                        continue;
                    }
                    cell.forward(step, b, xs, bt * width, rec, b * width, hPrevAll, prevOff + b * units, h, b * units);
                    if (returnSequences) {
                        System.arraycopy(h, b * units, o, bt * units, units);
                    }
                }
            });
        }
        if (!returnSequences) {
            System.arraycopy(h, 0, o, 0, h.length);
        }
        GradientTape.Backward rule = g -> {
            float[] dh = returnSequences ? new float[batch * units] : g;
            float[] dRecAll = new float[time * batch * width];
            float[] dx = inputs.requiresGrad() ? inputs.gradBuffer() : new float[xs.length];
            for (int t = time - 1; t >= 0; t--) {
                if (!anyValid[t]) {
                    continue;
                }
                int step = t;
                int prevOff = t * batch * units;
                int recOff = t * batch * width;
                Parallel.forRange(batch, grain, (lo, hi) -> {
                    for (int b = lo; b < hi; b++) {
                        int bt = b * time + step;
                        if (valid != null && !valid[bt]) {
                            continue;
                        }
                        if (returnSequences) {
                            kern.add(dh, b * units, g, bt * units, dh, b * units, units);
                        }
                        cell.backward(step, b, hPrevAll, prevOff + b * units, dh, b * units,
                                dx, bt * width, dRecAll, recOff + b * width);
                    }
                });
                kern.sgemm(false, true, batch, units, width, dRecAll, recOff, u, 0, dh, 0, true);
            }
            if (recurrentKernel.requiresGrad()) {
                kern.sgemm(true, false, units, width, time * batch, hPrevAll, 0, dRecAll, 0,
                        recurrentKernel.gradBuffer(), 0, true);
            }
            if (recurrentBias != null && recurrentBias.requiresGrad()) {
                kern.addColumnSums(dRecAll, 0, time * batch, width, recurrentBias.gradBuffer(), 0);
            }
        };
        return recurrentBias == null
                ? GradientTape.record(out, rule, inputs, recurrentKernel)
                : GradientTape.record(out, rule, inputs, recurrentKernel, recurrentBias);
    }

    /** Makes the cell for one call, given batch, time and units. */
    @FunctionalInterface
    interface CellFactory {
        RecurrentCell create(int batch, int time, int units);
    }

    private static boolean anyValid(boolean[] valid, int batch, int time, int t) {
        if (valid == null) {
            return batch > 0;
        }
        for (int b = 0; b < batch; b++) {
            if (valid[b * time + t]) {
                return true;
            }
        }
        return false;
    }

    /** The number of units, after checking every shape against the others. */
    private static int checkShapes(String op, int gates, Tensor inputs, Tensor kernel, Tensor bias) {
        Function<String, IllegalArgumentException> bad = what -> new IllegalArgumentException(op + ": inputs "
                + Shape.toString(inputs.shape()) + ", recurrent kernel " + Shape.toString(kernel.shape())
                + (bias == null ? "" : ", recurrent bias " + Shape.toString(bias.shape())) + ": " + what);
        if (kernel.rank() != 2 || kernel.dim(0) == 0 || kernel.dim(1) != gates * kernel.dim(0)) {
            throw bad.apply("expected a recurrent kernel [units, " + gates + " * units]");
        }
        int units = kernel.dim(0);
        if (inputs.rank() != 3 || inputs.dim(2) != gates * units) {
            throw bad.apply("expected inputs [batch, time, " + gates * units + "] (" + gates + " * " + units
                    + " units: the input pre-activations of every step)");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != gates * units)) {
            throw bad.apply("expected a recurrent bias [" + gates * units + "]");
        }
        return units;
    }
}
