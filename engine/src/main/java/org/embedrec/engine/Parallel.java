package org.embedrec.engine;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

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
    /** Set while the calling thread runs chunks of its own loop, so loops nested in them run inline. */
    private static final ThreadLocal<boolean[]> IN_REGION = ThreadLocal.withInitial(() -> new boolean[1]);
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
     * {@code grain} indices or more each (at most {@code 4 * threads()} chunks), on the calling
     * thread and up to {@code threads() - 1} pool threads. Runs
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
        boolean nested = current instanceof ForkJoinWorkerThread w && w.getPool() == p || IN_REGION.get()[0];
        if (threads == 1 || n <= grain || nested) {
            body.run(0, n);
            return;
        }
        // A few chunks per thread smooth out uneven chunks without making each one tiny.
        int chunks = (int) Math.min((n + (long) grain - 1) / grain, 4L * threads);
        new Region(n, chunks, body).run(p, Math.min(threads, chunks) - 1);
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

    /**
     * One parallel loop: chunks of {@code [0, n)} claimed in order from a shared counter by the
     * caller and by pool helpers. The caller works too and takes whatever helpers have not
     * claimed yet, so waking a parked helper (tens of microseconds) delays the loop by at most
     * one chunk, and the loop costs one wake-up per helper rather than a round trip to the pool.
     */
    private static final class Region {
        private static final long SPIN_NANOS = 100_000;
        private final int n;
        private final int chunks;
        private final IntRangeBody body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger pending;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread caller = Thread.currentThread();

        Region(int n, int chunks, IntRangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.pending = new AtomicInteger(chunks);
        }

        void run(ForkJoinPool p, int helpers) {
            for (int h = 0; h < helpers; h++) {
                try {
                    p.execute(this::work);
                } catch (RejectedExecutionException e) {
                    break; // setThreads shut this pool down meanwhile: the caller does the rest
                }
            }
            work();
            // Helpers finish their last chunks: spin a while (a chunk is short), then park.
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (pending.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        private void work() {
            boolean[] inRegion = IN_REGION.get();
            boolean outer = inRegion[0];
            inRegion[0] = true;
            try {
                claimChunks();
            } finally {
                inRegion[0] = outer;
            }
        }

        private void claimChunks() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    if (failure.get() == null) {
                        body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (pending.decrementAndGet() == 0) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }
}
