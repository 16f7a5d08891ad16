package org.embedrec.nn.train;

/** Training produced a NaN or infinite loss; the message names the epoch and step. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int step;

    public TrainingDivergedException(int epoch, int step, double loss) {
        super("training diverged: the loss is " + loss + " at epoch " + epoch + ", step " + step
                + " (try a lower learning rate or gradient clipping)");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }
}
