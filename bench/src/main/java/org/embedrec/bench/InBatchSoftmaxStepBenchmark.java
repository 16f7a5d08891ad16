package org.embedrec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
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
 * The two-tower preset's in-batch softmax alone, forward and backward: batch 2048, width 32,
 * over {@code distinct} candidate rows with their counts ({@link Ops#sampledSoftmaxCrossEntropy},
 * as {@code Retrieval} calls it), summed. A MovieLens 100K batch holds about 767 distinct items,
 * a batch of the ML-25M shape (59,047 items) about 1,999: the work per batch is
 * {@code 3 B M d} multiply-adds and {@code B M} exponentials, so the step's cost per row grows with M.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class InBatchSoftmaxStepBenchmark {
    private static final int BATCH = 2048;
    private static final int WIDTH = 32;

    /** Distinct candidates in the batch: ML-100K's 767 and the ML-25M shape's 1,999 (rounded). */
    @Param({"768", "2000"})
    public int distinct;

    private Tensor queries;
    private Tensor candidates;
    private int[] labels;
    private int[] counts;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(11);
        float[] q = new float[BATCH * WIDTH];
        float[] c = new float[distinct * WIDTH];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) (random.nextDouble() - 0.5);
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (random.nextDouble() - 0.5);
        }
        // Every candidate is some row's positive; the remaining rows repeat random ones.
        labels = new int[BATCH];
        counts = new int[distinct];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = i < distinct ? i : random.nextInt(distinct);
            counts[labels[i]]++;
        }
        queries = Tensor.wrap(q, BATCH, WIDTH).requiresGrad(true);
        candidates = Tensor.wrap(c, distinct, WIDTH).requiresGrad(true);
    }

    @Benchmark
    public float step() {
        queries.zeroGrad();
        candidates.zeroGrad();
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = Ops.sum(Ops.sampledSoftmaxCrossEntropy(queries, candidates, 1f, labels, counts, null, false));
            loss = l.item();
            tape.backward(l);
        }
        return loss;
    }
}
