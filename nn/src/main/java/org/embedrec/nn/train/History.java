package org.embedrec.nn.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;

/** The record of a {@link Trainer#fit} run: one {@link EpochResult} per epoch trained. */
public final class History {
    private final List<EpochResult> epochs = new ArrayList<>();
    private boolean stoppedEarly;

    /** A history of {@code epochs} already trained, as a checkpoint restores it. */
    public static History of(List<EpochResult> epochs, boolean stoppedEarly) {
        History h = new History();
        h.epochs.addAll(epochs);
        h.stoppedEarly = stoppedEarly;
        return h;
    }

    /** An independent copy, which goes on growing apart from this one. */
    public History copy() {
        return of(epochs, stoppedEarly);
    }

    void add(EpochResult result) {
        epochs.add(result);
    }

    void markStoppedEarly() {
        stoppedEarly = true;
    }

    public List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    public EpochResult last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch was trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** The validation metric from the last validated epoch, if any. */
    public OptionalDouble lastValidation(String metric) {
        for (int i = epochs.size() - 1; i >= 0; i--) {
            Double v = epochs.get(i).validation().get(metric);
            if (v != null) {
                return OptionalDouble.of(v);
            }
        }
        return OptionalDouble.empty();
    }

    /** Total training seconds, validation excluded. */
    public double trainSeconds() {
        double s = 0;
        for (EpochResult e : epochs) {
            s += e.seconds();
        }
        return s;
    }

    /** Median seconds per training epoch; robust to the first epoch's JIT warm-up. */
    public double medianEpochSeconds() {
        double[] s = new double[epochs.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = epochs.get(i).seconds();
        }
        Arrays.sort(s);
        if (s.length == 0) {
            return Double.NaN;
        }
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Training examples per second over the whole run. */
    public double examplesPerSecond() {
        long n = 0;
        for (EpochResult e : epochs) {
            n += e.examples();
        }
        double t = trainSeconds();
        return t > 0 ? n / t : Double.NaN;
    }
}
