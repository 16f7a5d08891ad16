package org.embedrec.cli;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.History;

/** A terminal progress bar over all training steps, showing epoch, loss and throughput. */
final class ProgressBarCallback implements Callback {
    private final String task;
    private ProgressBar bar;
    private int epochs;
    private int stepsPerEpoch;
    private final int batchSize;
    private long stepsDone;
    private long startNanos;

    ProgressBarCallback(String task, int batchSize) {
        this.task = task;
        this.batchSize = batchSize;
    }

    /** True when stdout is a terminal: bars are for people, not logs or pipes. */
    static boolean wanted(boolean quiet) {
        return !quiet && System.console() != null;
    }

    @Override
    public void onTrainBegin(int totalEpochs, int stepsPerEpoch) {
        epochs = totalEpochs;
        this.stepsPerEpoch = stepsPerEpoch;
        startNanos = System.nanoTime();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax((long) totalEpochs * stepsPerEpoch)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().build();
    }

    /** The epochs a checkpoint holds count as done; the throughput counts only this run's steps. */
    @Override
    public void onResume(int epochsDone) {
        bar.stepTo((long) epochsDone * stepsPerEpoch);
    }

    @Override
    public void onBatchEnd(int epoch, int step, double loss) {
        stepsDone++;
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " epoch %d/%d loss %.4f %.0f ex/s",
                epoch, epochs, loss, stepsDone * batchSize / Math.max(seconds, 1e-9)));
    }

    @Override
    public void onTrainEnd(History history) {
        if (bar != null) {
            bar.close();
        }
    }
}
