package org.embedrec.nn.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Prints one line per epoch: loss, seconds, throughput, and validation metrics when present. */
public final class EpochLogger implements Callback {
    private final PrintStream out;
    private int epochs;

    public EpochLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainBegin(int totalEpochs, int stepsPerEpoch) {
        this.epochs = totalEpochs;
    }

    @Override
    public boolean onEpochEnd(EpochResult r) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d/%d  loss %.4f  %.2fs  %.0f ex/s", r.epoch(), epochs, r.loss(), r.seconds(),
                r.examplesPerSecond()));
        for (Map.Entry<String, Double> e : new TreeMap<>(r.validation()).entrySet()) {
            line.append(String.format(Locale.ROOT, "  val_%s %.4f", e.getKey(), e.getValue()));
        }
        out.println(line);
        return true;
    }
}
