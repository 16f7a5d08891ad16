package org.embedrec.bench;

import dev.ludovic.netlib.blas.NativeBLAS;
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
 * Square float32 {@code C = A B}, row-major, through embedrec's kernels and through the system's
 * native BLAS (OpenBLAS on our machines) in the same JVM. One operation is {@code 2 size^3}
 * flops; {@link SgemmReport} turns the scores into GFLOP/s.
 *
 * <p>Thread counts: embedrec reads {@code -Dembedrec.threads}, OpenBLAS reads the environment
 * variable {@code OPENBLAS_NUM_THREADS}; {@code run-sgemm.sh} sets both to the same number.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SgemmBenchmark {

    @Param({"256", "512", "1024", "2048"})
    public int size;

    private float[] a;
    private float[] b;
    private float[] c;
    private Kernels kernels;
    private NativeBLAS blas;

    @Setup
    public void setUp() {
        int n = size;
        SplittableRandom random = new SplittableRandom(42);
        a = new float[n * n];
        b = new float[n * n];
        c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextDouble() - 0.5);
            b[i] = (float) (random.nextDouble() - 0.5);
        }
        kernels = Kernels.get();
        // Fails loudly rather than quietly timing a Java fallback under the native name.
        blas = NativeBLAS.getInstance();
    }

    @Benchmark
    public float[] embedrec() {
        kernels.sgemm(false, false, size, size, size, a, 0, b, 0, c, 0, false);
        return c;
    }

    /** Row-major {@code C = A B} is column-major {@code C^T = B^T A^T}: the same call with A and B swapped. */
    @Benchmark
    public float[] openblas() {
        blas.sgemm("N", "N", size, size, size, 1f, b, size, a, size, 0f, c, size);
        return c;
    }
}
