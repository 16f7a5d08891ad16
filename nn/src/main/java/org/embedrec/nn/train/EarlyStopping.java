package org.embedrec.nn.train;

import org.embedrec.nn.TrainingState;

/**
 * Stops training when a validation metric has not improved by at least {@code minDelta} for
 * {@code patience} validated epochs. Epochs without validation are ignored. Its best value and
 * count go into checkpoints, so a resumed run stops where the uninterrupted one would.
 */
public final class EarlyStopping implements Callback {
    private final String metric;
    private final boolean higherIsBetter;
    private final int patience;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch;
    private int stale;

    public EarlyStopping(String metric, boolean higherIsBetter, int patience, double minDelta) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
        this.metric = metric;
        this.higherIsBetter = higherIsBetter;
        this.patience = patience;
        this.minDelta = minDelta;
    }

    /** Stops when validation loss stops falling. */
    public static EarlyStopping onValidationLoss(int patience) {
        return new EarlyStopping("loss", false, patience, 0.0);
    }

    @Override
    public boolean onEpochEnd(EpochResult result) {
        Double value = result.validation().get(metric);
        if (value == null) {
            if (result.validated()) {
                throw new IllegalArgumentException("early stopping watches '" + metric
                        + "', which validation does not report; it reports " + result.validation().keySet());
            }
            return true;
        }
        boolean improved = Double.isNaN(best)
                || (higherIsBetter ? value > best + minDelta : value < best - minDelta);
        if (improved) {
            best = value;
            bestEpoch = result.epoch();
            stale = 0;
            return true;
        }
        stale++;
        return stale <= patience;
    }

    @Override
    public void saveState(String prefix, TrainingState out) {
        // The best value as its bits: the exact double, NaN before the first validation.
        out.putLongs(prefix + "best_bits_epoch_stale", new long[] {Double.doubleToRawLongBits(best), bestEpoch, stale});
    }

    @Override
    public void restoreState(String prefix, TrainingState in) {
        long[] saved = in.longs(prefix + "best_bits_epoch_stale", 3);
        if (saved[1] < 0 || saved[1] > Integer.MAX_VALUE || saved[2] < 0 || saved[2] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the training state's '" + prefix + "best_bits_epoch_stale' holds "
                    + "a negative or too large epoch or count");
        }
        best = Double.longBitsToDouble(saved[0]);
        bestEpoch = (int) saved[1];
        stale = (int) saved[2];
    }

    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }
}
