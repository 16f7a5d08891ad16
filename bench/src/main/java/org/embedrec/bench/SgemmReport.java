package org.embedrec.bench;

import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.kernels.Kernels;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link SgemmBenchmark} and prints a table of GFLOP/s, embedrec beside OpenBLAS, with the
 * ratio. Scores are medians over the measurement iterations, with the best iteration beside
 * them: other work on the machine can only slow an iteration down.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp benchmarks.jar
 * org.embedrec.bench.SgemmReport [threads] [sizes,...]}; {@code OPENBLAS_NUM_THREADS} must equal
 * {@code threads} (run-sgemm.sh sets it).
 */
public final class SgemmReport {
    private SgemmReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        String[] sizes = args.length > 1 ? args[1].split(",") : new String[] {"256", "512", "1024", "2048"};
        String blasThreads = System.getenv("OPENBLAS_NUM_THREADS");
        if (!String.valueOf(threads).equals(blasThreads)) {
            throw new IllegalStateException("OPENBLAS_NUM_THREADS=" + blasThreads + " but embedrec runs on "
                    + threads + " threads: set OPENBLAS_NUM_THREADS=" + threads + " for a fair comparison");
        }
        describeMachine(threads);

        // One JMH run per size, both libraries back to back, so that load from elsewhere on the
        // machine hits them alike as far as possible.
        // size -> benchmark name -> {median, best} GFLOP/s over the measurement iterations
        Map<Integer, Map<String, double[]>> gflops = new TreeMap<>();
        for (String size : sizes) {
            Options options = new OptionsBuilder()
                    .include(SgemmBenchmark.class.getName() + "\\.")
                    .param("size", size)
                    .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Dembedrec.threads=" + threads)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(1))
                    .measurementIterations(7)
                    .measurementTime(TimeValue.seconds(1))
                    .forks(1)
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            for (RunResult r : results) {
                int n = Integer.parseInt(r.getParams().getParam("size"));
                String benchmark = r.getParams().getBenchmark();
                String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
                double flopsPerOp = 2.0 * n * n * n / 1e9;
                Statistics stats = r.getPrimaryResult().getStatistics();
                gflops.computeIfAbsent(n, x -> new TreeMap<>()).put(method,
                        new double[] {stats.getPercentile(50) * flopsPerOp, stats.getMax() * flopsPerOp});
            }
        }
        System.out.println();
        System.out.printf("SGEMM float32, C = A B, square, %d thread(s), GFLOP/s: median (best) of 7 iterations%n",
                threads);
        System.out.printf("%6s  %16s  %16s  %18s%n", "size", "embedrec", "OpenBLAS", "embedrec/OpenBLAS");
        for (Map.Entry<Integer, Map<String, double[]>> e : gflops.entrySet()) {
            double[] ours = e.getValue().getOrDefault("embedrec", new double[] {Double.NaN, Double.NaN});
            double[] theirs = e.getValue().getOrDefault("openblas", new double[] {Double.NaN, Double.NaN});
            System.out.printf("%6d  %7.1f (%6.1f)  %7.1f (%6.1f)  %8.2f (%6.2f)%n", e.getKey(),
                    ours[0], ours[1], theirs[0], theirs[1], ours[0] / theirs[0], ours[1] / theirs[1]);
        }
    }

    /** Which kernels and which native BLAS this JVM sees, so a table is never misread. */
    private static void describeMachine(int threads) throws IOException {
        Parallel.setThreads(threads);
        NativeBLAS blas = NativeBLAS.getInstance();
        float[] one = {1f};
        blas.sgemm("N", "N", 1, 1, 1, 1f, one, 1, one, 1, 0f, new float[1], 1);
        String libs = "(unknown)";
        Path maps = Path.of("/proc/self/maps");
        if (Files.isReadable(maps)) {
            libs = Files.readAllLines(maps).stream()
                    .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                    .filter(p -> p.contains("blas"))
                    .distinct()
                    .collect(Collectors.joining(", "));
        }
        String coreType = System.getenv("OPENBLAS_CORETYPE");
        System.out.printf("embedrec kernels: %s on %d thread(s); native BLAS: %s, OPENBLAS_CORETYPE=%s"
                        + "; libraries: %s%n",
                Kernels.get().name(), Parallel.threads(), blas.getClass().getSimpleName(),
                coreType == null ? "(unset: OpenBLAS picks its kernel for this CPU)" : coreType, libs);
    }
}
