package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.embedrec.engine.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine's executor, tested here beside its main user, the SGEMM kernel. */
class ParallelTest {
    private static final int ORIGINAL_THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    @Test
    void everyIndexIsVisitedExactlyOnceInContiguousChunks() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            assertThat(Parallel.threads()).isEqualTo(threads);
            for (int n : new int[] {0, 1, 2, 5, 17, 100, 1001}) {
                for (int grain : new int[] {1, 3, 64, 5000}) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(n);
                    Parallel.forRange(n, grain, (from, to) -> {
                        assertThat(from).isLessThan(to);
                        for (int i = from; i < to; i++) {
                            visits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertThat(visits.get(i)).as("n=%d grain=%d index %d", n, grain, i).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void chunksRunOnSeveralThreadsAtOnce() throws InterruptedException {
        Parallel.setThreads(2);
        // Each chunk waits until two chunks have started: only possible if two run concurrently.
        CountDownLatch started = new CountDownLatch(2);
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        Parallel.forRange(2, 1, (from, to) -> {
            seen.add(Thread.currentThread());
            started.countDown();
            try {
                assertThat(started.await(10, TimeUnit.SECONDS)).as("a second chunk started").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        assertThat(seen).hasSize(2);
    }

    @Test
    void oneThreadSmallRangesAndNestedLoopsRunInline() {
        Thread caller = Thread.currentThread();
        Parallel.setThreads(1);
        Parallel.forRange(1000, 1, (from, to) -> {
            assertThat(Thread.currentThread()).isSameAs(caller);
            assertThat(from).isZero();
            assertThat(to).isEqualTo(1000);
        });
        Parallel.setThreads(2);
        Parallel.forRange(10, 10, (from, to) -> assertThat(Thread.currentThread()).isSameAs(caller));
        Set<Thread> nested = ConcurrentHashMap.newKeySet();
        Parallel.forRange(4, 1, (from, to) -> {
            Thread outer = Thread.currentThread();
            Parallel.forRange(100, 1, (f, t) -> {
                assertThat(Thread.currentThread()).isSameAs(outer);
                assertThat(t - f).isEqualTo(100);
                nested.add(outer);
            });
        });
        assertThat(nested).isNotEmpty();
    }

    @Test
    void anExceptionInAChunkReachesTheCaller() {
        Parallel.setThreads(2);
        assertThatThrownBy(() -> Parallel.forRange(100, 1, (from, to) -> {
            if (from <= 50 && 50 < to) {
                throw new IllegalStateException("chunk with 50");
            }
        })).hasMessageContaining("chunk with 50");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> Parallel.setThreads(0)).hasMessageContaining("0 threads");
        assertThatThrownBy(() -> Parallel.forRange(-1, 1, (f, t) -> { })).hasMessageContaining("n=-1");
        assertThatThrownBy(() -> Parallel.forRange(5, 0, (f, t) -> { })).hasMessageContaining("grain=0");
    }
}
