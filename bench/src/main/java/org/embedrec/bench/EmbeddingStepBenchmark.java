package org.embedrec.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Adagrad;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.optim.Optimizer;
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
 * One training step on an embedding table of {@code vocab x 32} with a batch of 2048 random
 * ids: the optimizer's sparse path costs time proportional to the touched rows, never to the
 * vocabulary.
 *
 * <p>{@code ids = hot} draws ids from the first 1000 rows (a popular head, as real item ids
 * are skewed): the memory touched is the same at every vocabulary, so any work proportional to
 * the table would show as a gap between vocab 10^3 and 10^6; there should be none beyond
 * noise. {@code ids = uniform} draws from the whole table: at 10^6 each touched row then
 * misses the caches in the weights and in every slot array, which costs memory latency per
 * touched row, still independent of the vocabulary once the table exceeds the caches.
 *
 * <p>{@code step} accumulates a prepared gradient into the touched rows and steps;
 * {@code lookupBackwardStep} is the whole path: gather, sum, backward, step. Both zero the
 * gradient afterwards, as the training loop does. Batches rotate through 16 prepared id sets
 * so the large table is not served from cache by one fixed batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class EmbeddingStepBenchmark {
    private static final int WIDTH = 32;
    private static final int BATCH = 2048;
    private static final int BATCHES = 16;

    @Param({"1000", "1000000"})
    public int vocab;

    @Param({"adam", "adagrad"})
    public String optimizer;

    @Param({"uniform", "hot"})
    public String ids;

    private Parameter table;
    private List<Parameter> params;
    private Optimizer opt;
    private int[][] batches;
    private float[] rowGradient;
    private int next;

    @Setup
    public void setUp() {
        Rng rng = new Rng(42);
        float[] values = new float[vocab * WIDTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.uniform(-0.05f, 0.05f);
        }
        table = new Parameter("embedding", Tensor.wrap(values, vocab, WIDTH).sparseGradient(true));
        params = List.of(table);
        opt = switch (optimizer) {
            case "adam" -> new Adam(1e-3f);
            case "adagrad" -> new Adagrad(0.05f);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer);
        };
        int idRange = switch (ids) {
            case "uniform" -> vocab;
            case "hot" -> Math.min(vocab, 1000);
            default -> throw new IllegalArgumentException("unknown id distribution " + ids);
        };
        batches = new int[BATCHES][BATCH];
        for (int[] batch : batches) {
            for (int i = 0; i < BATCH; i++) {
                batch[i] = rng.nextInt(idRange);
            }
        }
        rowGradient = new float[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            rowGradient[j] = rng.uniform(-1f, 1f);
        }
        // Allocate the optimizer's slots (once, proportional to the table) outside the measurement.
        stepOnly();
    }

    private int[] nextBatch() {
        int[] batch = batches[next];
        next = (next + 1) % BATCHES;
        return batch;
    }

    private float[] stepOnly() {
        int[] batch = nextBatch();
        for (int i = 0; i < BATCH; i++) {
            table.value().rowGradient().accumulate(batch[i], rowGradient, 0);
        }
        opt.step(params);
        table.zeroGrad();
        return table.value().data();
    }

    @Benchmark
    public float[] step() {
        return stepOnly();
    }

    @Benchmark
    public float[] lookupBackwardStep() {
        int[] batch = nextBatch();
        try (GradientTape tape = GradientTape.open()) {
            Tensor loss = Ops.sum(Ops.gatherRows(table.value(), batch));
            tape.backward(loss);
        }
        opt.step(params);
        table.zeroGrad();
        return table.value().data();
    }
}
