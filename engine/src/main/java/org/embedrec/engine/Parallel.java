package org.embedrec.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's one thread pool. Work is split into contiguous index ranges; how it is split
 * never changes a result, because callers only split independent work (rows or columns of an
 * output), never a summation.
 *
 * <p>The thread count comes from the system property {@code embedrec.threads}, else the number of
 * available processors, and can be changed at run time with {@link #setThreads(int)}. A call made
 * from inside a running task runs inline: nested work never forks, so per-thread scratch buffers
 * held by a task cannot be reused under it by a stolen task.
 */
public final class Parallel {

    /** The body of a parallel loop: handles the indices {@code [from, to)}. */
    @FunctionalInterface
    public interface IntRangeBody {
        void run(int from, int to);
    }

    private static final AtomicInteger WORKER_IDS = new AtomicInteger();
    private static volatile ForkJoinPool pool = newPool(initialThreads());

    private Parallel() {}

    /** The number of threads parallel loops run on. */
    public static int threads() {
        return pool.getParallelism();
    }

    /** Replaces the pool with one of {@code n} threads; loops already running finish on the old one. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Parallel.setThreads: " + n + " threads; expected at least 1");
        }
        if (n == pool.getParallelism()) {
            return;
        }
        ForkJoinPool old = pool;
        pool = newPool(n);
        old.shutdown();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into contiguous chunks of near-equal size, about
     * {@code grain} indices or more each (at most {@code 4 * threads()} chunks), on the pool. Runs
     * inline, as one chunk {@code [0, n)}, when there is one thread, when {@code n <= grain}, or
     * when called from inside a parallel loop. Returns when every chunk is done; an exception
     * thrown by a chunk is rethrown here.
     */
    public static void forRange(int n, int grain, IntRangeBody body) {
        if (n < 0 || grain < 1) {
            throw new IllegalArgumentException("Parallel.forRange: n=" + n + ", grain=" + grain
                    + "; expected n >= 0 and grain >= 1");
        }
        if (n == 0) {
            return;
        }
        ForkJoinPool p = pool;
        int threads = p.getParallelism();
        Thread current = Thread.currentThread();
        boolean nested = current instanceof ForkJoinWorkerThread w && w.getPool() == p;
        if (threads == 1 || n <= grain || nested) {
            body.run(0, n);
            return;
        }
        // A few chunks per thread smooth out uneven chunks without making each one tiny.
        int chunks = (int) Math.min((n + (long) grain - 1) / grain, 4L * threads);
        p.invoke(new Chunks(n, chunks, 0, chunks, body));
    }

    private static int initialThreads() {
        String prop = System.getProperty("embedrec.threads");
        if (prop == null || prop.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(prop.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below, which names the property and the value
        }
        throw new IllegalArgumentException("system property embedrec.threads=\"" + prop
                + "\": expected a positive integer");
    }

    private static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("embedrec-worker-" + WORKER_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** Chunks {@code [lo, hi)} of {@code chunks} equal splits of {@code [0, n)}, halved until one is left. */
    private static final class Chunks extends RecursiveAction {
        private final int n;
        private final int chunks;
        private final int lo;
        private final int hi;
        private final IntRangeBody body;

        Chunks(int n, int chunks, int lo, int hi, IntRangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                int from = (int) ((long) n * lo / chunks);
                int to = (int) ((long) n * hi / chunks);
                body.run(from, to);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Chunks(n, chunks, lo, mid, body), new Chunks(n, chunks, mid, hi, body));
        }
    }
}
