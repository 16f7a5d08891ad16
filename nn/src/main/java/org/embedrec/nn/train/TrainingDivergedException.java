package org.embedrec.nn.train;

/**
 * Training produced a NaN or infinite loss, or weights, so it stopped; the message names the
 * epoch and the batch (and the loss) or the parameter. Nothing was saved after the last good
 * checkpoint.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int step;

    /** The loss of batch {@code step} of {@code steps} in {@code epoch} is {@code loss}. */
    public TrainingDivergedException(int epoch, int step, int steps, double loss) {
        this("training diverged: the loss is " + loss + " at epoch " + epoch + ", batch " + step + " of " + steps
                + " (try a lower learning rate or gradient clipping)", epoch, step);
    }

    /** With its own {@code message}; {@code step} 0 when it is about a whole epoch. */
    public TrainingDivergedException(String message, int epoch, int step) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    /** The batch, from 1, whose loss diverged; 0 when the weights were found diverged after the epoch. */
    public int step() {
        return step;
    }
}
