package org.embedrec.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.embedrec.engine.kernels.Kernels;
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
 * The SGEMM calls of a two-tower training step at batch 2048, one shape at a time, with the
 * transposition flags and accumulate flag their callers pass. A shape is named
 * {@code OP_MxN_kK}: {@code OP} is {@code op(A) op(B)} ({@code N} plain, {@code T} transposed), the
 * output is {@code M x N} and the sum runs over {@code K}.
 *
 * <ul>
 *   <li>Dense forward {@code X W} ({@code NN}, k in 64, 65, 96); backward {@code dW += X^T dZ}
 *       ({@code TN}, K = 2048) and {@code dX += dZ W^T} ({@code NT}).
 *   <li>In-batch softmax: logits {@code Q C^T} ({@code NT_2048x2048_k32}), {@code dQ = P C}
 *       ({@code NN_2048x32_k2048}), {@code dC = (diag(w) Q)^T P} ({@code TN_32x2048_k2048}).
 *   <li>FactorizedTopK: a chunk of 155 queries against 1682 candidates ({@code NT_155x1682_k32}).
 *   <li>Square {@code NN} 512 and 1024, to see that the big-matrix path keeps its speed.
 *   <li>A SASRec dense layer (width 50) on one ML-100K batch of 128 histories at length 200,
 *       11,288 real steps: forward, {@code dX} and {@code dW}.
 * </ul>
 *
 * <p>Pass the thread count as {@code -jvmArgsAppend "--add-modules=jdk.incubator.vector
 * -Dembedrec.threads=N"}; a command-line {@code -jvmArgsAppend} replaces the one below.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainingSgemmBenchmark {

    @Param({
        "NN_2048x32_k64", "NN_2048x32_k65", "NN_2048x64_k96",
        "TN_64x32_k2048", "TN_65x32_k2048", "TN_96x64_k2048",
        "NT_2048x64_k32", "NT_2048x96_k64",
        "NT_2048x2048_k32", "NN_2048x32_k2048", "TN_32x2048_k2048",
        "NT_155x1682_k32",
        "NN_512x512_k512", "NN_1024x1024_k1024",
        "NN_11288x50_k50", "NT_11288x50_k50", "TN_50x50_k11288",
    })
    public String shape;

    private boolean transA;
    private boolean transB;
    private boolean accumulate;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private Kernels kernels;

    @Setup
    public void setUp() {
        String[] parts = shape.split("_");
        if (parts.length != 3 || parts[0].length() != 2 || !parts[2].startsWith("k")) {
            throw new IllegalArgumentException("shape \"" + shape + "\": expected OP_MxN_kK, e.g. TN_96x64_k2048");
        }
        transA = parts[0].charAt(0) == 'T';
        transB = parts[0].charAt(1) == 'T';
        String[] mn = parts[1].split("x");
        m = Integer.parseInt(mn[0]);
        n = Integer.parseInt(mn[1]);
        k = Integer.parseInt(parts[2].substring(1));
        // The backward products of a dense layer add into gradient buffers; the rest overwrite.
        accumulate = k >= 2048 && transA && !transB && n <= 64 || transB && k <= 64 && n <= 96;
        SplittableRandom random = new SplittableRandom(42);
        a = random(random, m * k);
        b = random(random, k * n);
        c = random(random, m * n);
        kernels = Kernels.get();
    }

    private static float[] random(SplittableRandom random, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (random.nextDouble() - 0.5);
        }
        return x;
    }

    @Benchmark
    public float[] sgemm() {
        kernels.sgemm(transA, transB, m, n, k, a, 0, b, 0, c, 0, accumulate);
        return c;
    }
}
