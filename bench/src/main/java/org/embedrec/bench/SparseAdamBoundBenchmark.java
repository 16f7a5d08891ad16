package org.embedrec.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.optim.Optimizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code mf} preset's optimizer step at the ML-25M shape, beside what the memory alone costs
 * for the same rows: the bound under issue 13's "mf >= 2M examples/s".
 *
 * <p>A batch of 1024 examples touches about 2,000 distinct rows of a 162,541 x 64 user table and
 * a 59,047 x 64 item table (uniform ids here; real items are skewed, which helps the caches).
 * Adam reads and writes each touched row's weights and both moments: 768 bytes in, 768 out, in
 * twelve scattered cache lines, 170 MB of tables in all, far beyond the caches and the TLB.
 * {@code adamStep} is what the training loop does per batch (row gradients accumulated, the sparse
 * Adam step on the engine's threads, gradients zeroed); {@code touchRows} reads and writes the
 * same rows of three arrays per table with one multiply-add per value and nothing else, split
 * over the engine's threads the same way. An epoch of 20M rows is 19,532 such steps, so
 * {@code touchRows}' time times 19,532 is a floor for the epoch's optimizer alone on this machine:
 * if it is near 10 s, no arrangement of Adam's arithmetic reaches 2M examples/s.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SparseAdamBoundBenchmark \
 *   -jvmArgsAppend "--add-modules=jdk.incubator.vector -Xmx4g -Dembedrec.threads=2"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class SparseAdamBoundBenchmark {
    private static final int WIDTH = 64;
    private static final int USERS = 162_541;
    private static final int ITEMS = 59_047;
    private static final int BATCH = 1024;
    /** Prepared batches, rotated so no fixed set of rows stays in cache. */
    private static final int BATCHES = 512;

    private Parameter users;
    private Parameter items;
    private List<Parameter> params;
    private Optimizer adam;
    private int[][] userIds;
    private int[][] itemIds;
    /** Each batch's distinct user rows, then its distinct item rows (item rows offset by USERS). */
    private int[][] distinctRows;
    private float[] rowGradient;
    /** touchRows' weights and two moments: the user table's rows, then the item table's. */
    private float[] weights;
    private float[] first;
    private float[] second;
    private int next;

    @Setup
    public void setUp() {
        Rng rng = new Rng(42);
        users = table("users", USERS, rng);
        items = table("items", ITEMS, rng);
        params = List.of(users, items);
        adam = new Adam(1e-3f);
        userIds = new int[BATCHES][BATCH];
        itemIds = new int[BATCHES][BATCH];
        distinctRows = new int[BATCHES][];
        for (int b = 0; b < BATCHES; b++) {
            for (int i = 0; i < BATCH; i++) {
                userIds[b][i] = rng.nextInt(USERS);
                itemIds[b][i] = rng.nextInt(ITEMS);
            }
            int[] u = Arrays.stream(userIds[b]).distinct().toArray();
            int[] it = Arrays.stream(itemIds[b]).distinct().map(r -> r + USERS).toArray();
            distinctRows[b] = new int[u.length + it.length];
            System.arraycopy(u, 0, distinctRows[b], 0, u.length);
            System.arraycopy(it, 0, distinctRows[b], u.length, it.length);
        }
        rowGradient = new float[WIDTH];
        for (int j = 0; j < WIDTH; j++) {
            rowGradient[j] = rng.uniform(-1f, 1f);
        }
        int values = (USERS + ITEMS) * WIDTH;
        weights = new float[values];
        first = new float[values];
        second = new float[values];
        Arrays.fill(weights, 0.01f);
        // Adam's slots are allocated on its first step, outside the measurement.
        adamStep();
    }

    private static Parameter table(String name, int rows, Rng rng) {
        float[] values = new float[rows * WIDTH];
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.uniform(-0.05f, 0.05f);
        }
        return new Parameter(name, Tensor.wrap(values, rows, WIDTH).sparseGradient(true));
    }

    @Benchmark
    public float[] adamStep() {
        int b = next;
        next = (next + 1) % BATCHES;
        for (int i = 0; i < BATCH; i++) {
            users.value().rowGradient().accumulate(userIds[b][i], rowGradient, 0);
            items.value().rowGradient().accumulate(itemIds[b][i], rowGradient, 0);
        }
        adam.step(params);
        users.zeroGrad();
        items.zeroGrad();
        return users.value().data();
    }

    @Benchmark
    public float[] touchRows() {
        int[] rows = distinctRows[next];
        next = (next + 1) % BATCHES;
        Parallel.forRange(rows.length, 128, (from, to) -> {
            for (int k = from; k < to; k++) {
                int base = rows[k] * WIDTH;
                for (int j = base; j < base + WIDTH; j++) {
                    float m = first[j] * 0.9f + 0.1f;
                    float v = second[j] * 0.999f + 0.001f;
                    first[j] = m;
                    second[j] = v;
                    weights[j] -= 1e-3f * m * v;
                }
            }
        });
        return weights;
    }
}
