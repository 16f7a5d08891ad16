package org.embedrec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.engine.kernels.PackedMatrix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernel calls of {@code InBatchSoftmaxStepBenchmark}'s step one piece at a time, on the
 * calling thread, over all of a 2048-row batch in the blocks the fused softmax uses: the logits
 * product ({@code logits}), the row maximum and exponentials ({@code softmaxRows}), {@code E C}
 * ({@code ec}) and {@code E^T (diag(w/s) Q)} into a group partial ({@code dc}), with the same
 * SGEMM calls and arguments as {@code SoftmaxCrossEntropyBlocks} (Q stands in for
 * {@code diag(w/s) Q}). Divide a score by {@code 2048 * distinct} for nanoseconds per
 * (row, column) of the softmax; each product is 32 multiply-adds per (row, column).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g", "-Dembedrec.threads=1"})
public class SoftmaxPiecesBenchmark {
    private static final int BATCH = 2048;
    private static final int WIDTH = 32;
    private static final int GROUP_ROWS = 256;

    @Param({"768", "2000"})
    public int distinct;

    private Kernels kern;
    private float[] q;
    private float[] c;
    private float[] minusShift;
    private float[] logits;
    private float[] e;
    private float[] ec;
    private float[] partials;
    private PackedMatrix packedCt;
    private int blockRows;

    @Setup
    public void setUp() {
        kern = Kernels.get();
        SplittableRandom random = new SplittableRandom(11);
        int m = distinct;
        q = new float[BATCH * WIDTH];
        c = new float[m * WIDTH];
        minusShift = new float[m];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (random.nextDouble() - 0.5);
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (random.nextDouble() - 0.5);
        }
        for (int j = 0; j < m; j++) {
            minusShift[j] = (float) -Math.log(1 + random.nextInt(4));
        }
        float[] ct = new float[WIDTH * m];
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < WIDTH; k++) {
                ct[k * m + j] = c[j * WIDTH + k];
            }
        }
        packedCt = kern.pack(false, m, WIDTH, ct, 0);
        logits = new float[BATCH * m];
        e = new float[BATCH * m];
        ec = new float[BATCH * WIDTH];
        partials = new float[BATCH / GROUP_ROWS * WIDTH * m];
        // The same rows per block as SoftmaxCrossEntropyBlocks.blockRows.
        blockRows = Math.max(8, Math.min(256, (1 << 16) / m) & ~7);
        logits();
        softmaxRows();
    }

    @Benchmark
    public float[] logits() {
        int m = distinct;
        for (int i0 = 0; i0 < BATCH; i0 += blockRows) {
            int rows = Math.min(blockRows, BATCH - i0);
            kern.sgemmPacked(rows, q, i0 * WIDTH, packedCt, logits, i0 * m);
        }
        return logits;
    }

    @Benchmark
    public float softmaxRows() {
        int m = distinct;
        float total = 0f;
        for (int i = 0; i < BATCH; i++) {
            float max = kern.addMax(logits, i * m, minusShift, 0, e, i * m, m);
            total += kern.expSum(e, i * m, max, e, i * m, m);
        }
        return total;
    }

    @Benchmark
    public float[] ec() {
        int m = distinct;
        for (int g0 = 0; g0 < BATCH; g0 += GROUP_ROWS) {
            for (int i0 = g0; i0 < g0 + GROUP_ROWS; i0 += blockRows) {
                int rows = Math.min(blockRows, g0 + GROUP_ROWS - i0);
                kern.sgemm(false, false, rows, WIDTH, m, e, i0 * m, c, 0, ec, i0 * WIDTH, false);
            }
        }
        return ec;
    }

    @Benchmark
    public float[] dc() {
        int m = distinct;
        for (int g0 = 0; g0 < BATCH; g0 += GROUP_ROWS) {
            for (int i0 = g0; i0 < g0 + GROUP_ROWS; i0 += blockRows) {
                int rows = Math.min(blockRows, g0 + GROUP_ROWS - i0);
                kern.sgemm(true, false, m, WIDTH, rows, e, i0 * m, q, i0 * WIDTH, partials,
                        g0 / GROUP_ROWS * m * WIDTH, i0 > g0);
            }
        }
        return partials;
    }
}
