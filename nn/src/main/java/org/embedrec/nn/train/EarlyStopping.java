package org.embedrec.nn.train;

/**
 * Stops training when a validation metric has not improved by at least {@code minDelta} for
 * {@code patience} validated epochs. Epochs without validation are ignored.
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

    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }
}
