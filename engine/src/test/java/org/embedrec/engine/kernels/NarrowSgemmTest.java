package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The narrow path gives the blocked path's bits: on the products of our training steps at batch
 * 2048 (with every transposition, on 1, 2 and 3 threads), on random small shapes and offsets
 * (where the last row and column panels overlap the ones before), and on signed zeros,
 * infinities and NaN. Both are also held to the definition they share: per KC block an FMA
 * chain from +0 in step order, added to C block by block.
 */
class NarrowSgemmTest {
    private static final int ORIGINAL_THREADS = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(ORIGINAL_THREADS);
    }

    /**
     * Dense forward X W (k in 64, 65, 96), dW = X^T dZ and dX = dZ W^T, the in-batch softmax's
     * dQ = P C, and shapes whose last row panel and last column panel overlap the ones before,
     * or that are narrower than one tile.
     */
    static Stream<Arguments> trainingShapes() {
        int[][] shapes = {
            {2048, 32, 64}, {2048, 32, 65}, {2048, 64, 96},
            {64, 32, 2048}, {65, 32, 2048}, {96, 64, 2048},
            {2048, 64, 32}, {2048, 96, 64}, {2048, 65, 32},
            {2048, 32, 2048},
            {2047, 33, 300}, {13, 90, 777}, {100, 20, 300}, {8, 1, 5000},
            // SASRec's dense layers (width 50; the weight gradient's sum runs over the batch's
            // steps, past one KC block), and the four-vector tile's edges (49 and 64 columns).
            {3001, 50, 50}, {50, 50, 3001}, {1001, 49, 33}, {64, 64, 1500},
        };
        return Matrices.withAllTransposes(shapes);
    }

    @ParameterizedTest(name = "[{0}x{2}]x[{2}x{1}] transA={3} transB={4}")
    @MethodSource("trainingShapes")
    void narrowEqualsBlockedOnOneTwoAndThreeThreads(int m, int n, int k, boolean transA, boolean transB) {
        SplittableRandom random = new SplittableRandom(7L * m + 3L * n + k);
        int aOff = 3;
        int bOff = 1;
        int cOff = 2;
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, bOff, k * n);
        float[] c0 = Matrices.uniform(random, cOff, m * n);
        for (boolean accumulate : new boolean[] {false, true}) {
            Parallel.setThreads(1);
            float[] expected = c0.clone();
            SimdSgemm.blocked(transA, transB, m, n, k, a, aOff, b, bOff, null, expected, cOff, accumulate, 1);
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                float[] actual = c0.clone();
                NarrowSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, actual, cOff, accumulate, threads);
                assertSameBits(expected, actual, "accumulate=" + accumulate + ", " + threads + " threads");
                if (SimdGemv.accepts(m, n)) {
                    continue; // the entry point sends one-column products to SimdGemv, tested on its own
                }
                float[] dispatched = c0.clone();
                SimdSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, dispatched, cOff, accumulate);
                assertSameBits(expected, dispatched, "sgemm, accumulate=" + accumulate + ", " + threads + " threads");
            }
        }
    }

    @Property(tries = 300)
    void narrowEqualsBlockedOnRandomShapes(@ForAll @IntRange(min = 8, max = 40) int m,
                                           @ForAll @IntRange(min = 1, max = 100) int n,
                                           @ForAll @IntRange(min = 1, max = 600) int k,
                                           @ForAll boolean transA, @ForAll boolean transB,
                                           @ForAll boolean accumulate,
                                           @ForAll @IntRange(min = 0, max = 19) int aOff,
                                           @ForAll @IntRange(min = 0, max = 19) int bOff,
                                           @ForAll @IntRange(min = 0, max = 19) int cOff,
                                           @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, bOff, k * n);
        float[] c0 = Matrices.uniform(random, cOff, m * n);
        float[] expected = c0.clone();
        SimdSgemm.blocked(transA, transB, m, n, k, a, aOff, b, bOff, null, expected, cOff, accumulate, 1);
        float[] actual = c0.clone();
        NarrowSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, bOff, actual, cOff, accumulate, 1);
        assertSameBits(expected, actual, "narrow against blocked");
        assertSameBits(kcBlockedChains(transA, transB, m, n, k, a, aOff, b, bOff, c0, cOff, accumulate),
                actual, "narrow against the KC-blocked FMA chains");
    }

    /**
     * Odd shapes of every width up to 70 (one, two or three register tiles, the four-vector
     * tile, overlapping last panels) with odd sums, some past a KC block: on one and two
     * threads, the bits of the KC-blocked FMA chains that define both paths.
     */
    @Property(tries = 300)
    void narrowGivesTheDefiningChainsOnOddShapes(@ForAll @IntRange(min = 8, max = 70) int m,
                                                 @ForAll @IntRange(min = 1, max = 70) int n,
                                                 @ForAll @IntRange(min = 0, max = 300) int halfK,
                                                 @ForAll boolean transA, @ForAll boolean transB,
                                                 @ForAll boolean accumulate,
                                                 @ForAll @IntRange(min = 1, max = 2) int threads,
                                                 @ForAll @IntRange(min = 0, max = 19) int aOff,
                                                 @ForAll long seed) {
        int k = 2 * halfK + 1;
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = Matrices.uniform(random, aOff, m * k);
        float[] b = Matrices.uniform(random, 0, k * n);
        float[] c0 = Matrices.uniform(random, 0, m * n);
        float[] actual = c0.clone();
        NarrowSgemm.sgemm(transA, transB, m, n, k, a, aOff, b, 0, actual, 0, accumulate, threads);
        assertSameBits(kcBlockedChains(transA, transB, m, n, k, a, aOff, b, 0, c0, 0, accumulate),
                actual, "narrow against the KC-blocked FMA chains, " + threads + " threads");
    }

    /**
     * Signed zeros, infinities and NaN: the chains start from +0 (so a -0 product sums to +0),
     * and inf * 0 and inf - inf turn into NaN in the same elements on both paths. Which NaN comes
     * out (x86 returns the first NaN operand, whose sign differs between a NaN input and inf * 0)
     * depends on the operand order the JIT picks for each FMA, and changes between the first
     * calls and compiled code even on one path, so NaNs are compared as NaN.
     */
    @Test
    void specialValuesGiveTheSameBits() {
        float[] specials = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, 1f};
        SplittableRandom random = new SplittableRandom(5);
        int m = 19;
        int k = 300;
        for (int t = 0; t < 8; t++) {
            int n = t < 4 ? 70 : 50; // two register tiles, or the four-vector tile
            boolean transA = (t & 1) != 0;
            boolean transB = (t & 2) != 0;
            float[] a = Matrices.uniform(random, 0, m * k);
            float[] b = Matrices.uniform(random, 0, k * n);
            // Mostly zeros of either sign, a few infinities and NaNs (fewer for fewer columns), so most
            // elements stay finite.
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(4) == 0 ? a[i] : random.nextBoolean() ? -0f : 0f;
            }
            for (int i = 0; i < 40 * n / 70; i++) {
                a[random.nextInt(m * k)] = specials[random.nextInt(specials.length)];
                b[random.nextInt(k * n)] = specials[random.nextInt(specials.length)];
            }
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] c0 = Matrices.uniform(random, 0, m * n);
                c0[0] = -0f;
                float[] expected = c0.clone();
                SimdSgemm.blocked(transA, transB, m, n, k, a, 0, b, 0, null, expected, 0, accumulate, 1);
                float[] actual = c0.clone();
                NarrowSgemm.sgemm(transA, transB, m, n, k, a, 0, b, 0, actual, 0, accumulate, 1);
                String context = "transA=" + transA + ", transB=" + transB + ", accumulate=" + accumulate;
                assertSameBitsOrBothNaN(expected, actual, context);
                assertSameBitsOrBothNaN(kcBlockedChains(transA, transB, m, n, k, a, 0, b, 0, c0, 0, accumulate),
                        actual, "against the definition, " + context);
                assertThat(nanCount(actual)).as("NaNs in the output, " + context).isBetween(1, m * n / 2);
            }
        }
    }

    private static void assertSameBitsOrBothNaN(float[] expected, float[] actual, String context) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])
                    && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                fail(context + ": element " + i + " is " + actual[i] + ", expected exactly " + expected[i]);
            }
        }
    }

    private static int nanCount(float[] x) {
        int count = 0;
        for (float v : x) {
            count += Float.isNaN(v) ? 1 : 0;
        }
        return count;
    }

    /**
     * Products up to NARROW_PANELS register tiles wide go to the narrow path; wider ones stay on
     * the blocked path, whose packed A is reused by many column panels.
     */
    @Test
    void narrowProductsGoNarrowWideAndHugeSumProductsStayBlocked() {
        int nr = RegisterTile.NR;
        assertThat(NarrowSgemm.accepts(false, 2048, nr, 64)).isTrue();
        assertThat(NarrowSgemm.accepts(true, 2049, 2 * nr - 1, 2048)).isTrue();
        assertThat(NarrowSgemm.accepts(false, 2048, nr / 2, 2048)).isTrue();
        // Fewer rows than a tile: the blocked path pads them.
        assertThat(NarrowSgemm.accepts(false, RegisterTile.MR - 1, nr, 4096)).isFalse();
        assertThat(NarrowSgemm.accepts(false, 512, 512, 512)).isFalse();
        assertThat(NarrowSgemm.accepts(true, 2048, 2048, 32)).isFalse();
        assertThat(NarrowSgemm.accepts(false, 64, NarrowSgemm.NARROW_PANELS * nr + 1, 64)).isFalse();
        assertThat(NarrowSgemm.accepts(false, 64, NarrowSgemm.NARROW_PANELS * nr, 64)).isTrue();
        // A transposed B is packed for all of k up front, so with a huge k it goes to the blocked path.
        assertThat(NarrowSgemm.accepts(true, 64, 32, NarrowSgemm.MAX_PACKED)).isFalse();
        assertThat(NarrowSgemm.accepts(false, 64, nr, NarrowSgemm.MAX_PACKED)).isTrue();
    }

    /**
     * The arithmetic both paths promise, one element at a time: for each KC block, a chain
     * {@code t = fma(a, b, t)} from +0 over its steps in order; the first block stored into C
     * (unless accumulating), each later one added.
     */
    static float[] kcBlockedChains(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff,
                                   float[] b, int bOff, float[] c0, int cOff, boolean accumulate) {
        float[] c = c0.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * n + j;
                for (int pc = 0; pc < k; pc += SimdSgemm.KC) {
                    float t = 0f;
                    for (int p = pc; p < Math.min(k, pc + SimdSgemm.KC); p++) {
                        float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                        float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                        t = Math.fma(av, bv, t);
                    }
                    c[ci] = pc == 0 && !accumulate ? t : c[ci] + t;
                }
            }
        }
        return c;
    }
}
