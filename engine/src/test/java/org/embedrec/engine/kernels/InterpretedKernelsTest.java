package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SIMD kernels give the same bits whether the JIT has compiled them or not. A JIT-compiled
 * Vector API operation may be a different routine from its interpreted form (lanewise EXP became
 * Intel SVML, which differs from {@code Math.exp} in the last bit), and then one seed would give
 * two models depending on timing. Checked by running every floating-point kernel on fixed inputs
 * in a child JVM with {@code -Xint} and here after enough repetitions for C2 to compile them.
 */
class InterpretedKernelsTest {

    /** Run in the child JVM: prints the digest of every kernel's results, computed once. */
    public static void main(String[] args) {
        System.out.println("digest=" + digest(1));
    }

    @Test
    void compiledKernelsGiveTheInterpretedKernelsBits() throws IOException, InterruptedException {
        String compiled = digest(20_000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), InterpretedKernelsTest.class.getName())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("digest=" + compiled);
    }

    /** The results of the last of {@code repetitions} runs of each kernel, as one hex hash per kernel. */
    static String digest(int repetitions) {
        Kernels k = Kernels.get();
        SplittableRandom random = new SplittableRandom(7);
        int n = 1003;
        float[] a = values(random, n, 3f);
        float[] b = values(random, n, 3f);
        float[] logits = values(random, n, 20f);
        long[] hashes = new long[10];
        float[] out = new float[n];
        for (int rep = 0; rep < repetitions; rep++) {
            hashes[0] = Float.floatToIntBits(k.dot(a, 0, b, 1, n - 1));
            hashes[1] = Float.floatToIntBits(k.sum(a, 2, n - 2));
            float s = k.expSum(logits, 0, 20f, out, 0, n);
            hashes[2] = hash(out) * 31 + Float.floatToIntBits(s);
            float[] c = new float[11 * 11];
            k.sgemm(false, true, 11, 11, 17, a, 0, b, 0, c, 0, false);
            float[] column = new float[37];
            k.sgemm(false, false, 37, 1, 23, a, 0, b, 0, column, 0, false);
            k.sgemm(true, false, 37, 1, 23, b, 5, a, 3, column, 0, true);
            float[] row = new float[41];
            k.sgemm(false, false, 1, 41, 19, a, 0, b, 0, row, 0, false);
            k.sgemm(false, true, 1, 41, 19, b, 7, a, 1, row, 0, true);
            hashes[3] = (hash(c) * 31 + hash(column)) * 31 + hash(row);
            float[] x = a.clone();
            k.axpy(0.3f, b, 0, x, 0, n);
            k.scale(1.7f, x, 0, n);
            k.add(x, 0, b, 0, x, 0, n);
            k.mul(x, 0, a, 0, x, 0, n);
            hashes[4] = hash(x);
            float[] w = a.clone();
            float[] m = new float[n];
            float[] v = new float[n];
            k.adamStep(w, m, v, 0, b, 0, n, 0.5f, 0.9f, 0.999f, 0.001f, 1e-7f, 1f);
            float[] acc = new float[n];
            java.util.Arrays.fill(acc, 0.1f);
            k.adagradStep(w, acc, 0, b, 0, n, 2f, 0.1f, 1e-7f);
            hashes[5] = hash(w) * 31 + hash(acc);
            float[] cols = new float[7];
            k.addColumnSums(a, 0, 29, 7, cols, 0);
            hashes[6] = hash(cols);
            float[] biased = a.clone();
            k.addBias(biased, 0, 29, 7, b, 0, true);
            float[] g = b.clone();
            k.reluMask(biased, 0, g, 0, 29 * 7);
            hashes[7] = hash(biased) * 31 + hash(g);
            float[] dropped = new float[n];
            k.dropout(a, 0, dropped, 0, n, 0x5EEDL, 3, 5_000_000, 1.43f);
            hashes[8] = hash(dropped);
            float[] gates = new float[n];
            k.sigmoid(logits, 0, gates, 0, n);
            float[] squashed = new float[n];
            k.tanh(a, 1, squashed, 0, n - 1);
            hashes[9] = hash(gates) * 31 + hash(squashed);
        }
        StringBuilder text = new StringBuilder();
        for (long h : hashes) {
            text.append(Long.toHexString(h)).append(':');
        }
        return text.toString();
    }

    private static float[] values(SplittableRandom random, int n, float range) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * range);
        }
        return x;
    }

    private static long hash(float[] x) {
        long h = 1;
        for (float f : x) {
            h = h * 1_000_003 + Float.floatToIntBits(f);
        }
        return h;
    }
}
