package org.embedrec.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.embedrec.data.ReadProgress;

/**
 * A terminal progress bar over one data read, "load NAME", with the amount read, the total and
 * the speed: bytes in KB below {@link #MB_FROM} in all and in MB from there, so that neither a
 * 2 MB nor a 700 MB source shows a long or a frozen number; rows of a query counted without a
 * total. It draws from progressbar's own thread at most five times a second, so the read pays
 * only for the reader's chunked advances.
 */
final class LoadingBar implements ReadProgress {
    /** Totals from this many bytes are shown in MB. */
    static final long MB_FROM = 10L << 20;

    private final ProgressBarConsumer consumer;
    private ProgressBar bar;

    /** A bar on the terminal (standard error, as progressbar draws by default). */
    LoadingBar() {
        this(null);
    }

    /** A bar drawn into {@code consumer}; null for the terminal. */
    LoadingBar(ProgressBarConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public void begin(String what, long total, Unit unit) {
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName("load " + what).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate().showSpeed();
        if (unit == Unit.ROWS) {
            builder.setUnit(" rows", 1);
        } else if (total >= MB_FROM) {
            builder.setUnit("MB", 1L << 20);
        } else {
            builder.setUnit("KB", 1L << 10);
        }
        if (consumer != null) {
            builder.setConsumer(consumer);
        }
        bar = builder.build();
    }

    @Override
    public void advance(long amount) {
        bar.stepBy(amount);
    }

    @Override
    public void end() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
