package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.embedrec.engine.kernels.Matrices.assertSameBits;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The dropout kernel ({@link DropoutMask}): SIMD and scalar give the same bits on any length,
 * offset, key, starting position and rate, in place or not, and a mask computed in pieces is the
 * mask computed at once; the decisions behave like independent draws with the requested
 * probability (overall, for neighbouring elements, and between keys one bit apart); the
 * extremes of {@code dropBelow} drop nothing and everything.
 */
class DropoutKernelTest {
    private static final Kernels SIMD = SimdKernels.create();
    private static final Kernels SCALAR = new ScalarKernels();
    private static final int LEVELS = 1 << 24;

    @Property(tries = 200)
    void simdAndScalarGiveTheSameBits(@ForAll @IntRange(min = 0, max = 300) int n,
                                      @ForAll @IntRange(min = 0, max = 19) int xOff,
                                      @ForAll @IntRange(min = 0, max = 19) int outOff,
                                      @ForAll long key,
                                      @ForAll @IntRange(min = 0, max = 1 << 30) int first,
                                      @ForAll @IntRange(min = 0, max = 1 << 24) int dropBelow) {
        SplittableRandom random = new SplittableRandom(key);
        float[] x = Matrices.uniform(random, xOff, n);
        float scale = (float) (LEVELS / (double) Math.max(1, LEVELS - dropBelow));
        float[] simd = Matrices.guarded(outOff, n);
        float[] scalar = Matrices.guarded(outOff, n);
        SIMD.dropout(x, xOff, simd, outOff, n, key, first, dropBelow, scale);
        SCALAR.dropout(x, xOff, scalar, outOff, n, key, first, dropBelow, scale);
        assertSameBits(scalar, simd, "n=" + n + " first=" + first + " key=" + key + " dropBelow=" + dropBelow);
        float[] inPlace = x.clone();
        SIMD.dropout(inPlace, xOff, inPlace, xOff, n, key, first, dropBelow, scale);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToIntBits(inPlace[xOff + i])).as("in place, element " + i)
                    .isEqualTo(Float.floatToIntBits(scalar[outOff + i]));
        }
    }

    @Property(tries = 50)
    void aMaskComputedInPiecesEqualsTheWholeMask(@ForAll @IntRange(min = 1, max = 500) int n,
                                                 @ForAll @IntRange(min = 0, max = 500) int cut,
                                                 @ForAll long key) {
        int split = Math.min(cut, n);
        float[] x = Matrices.uniform(new SplittableRandom(key), 0, n);
        float[] whole = new float[n];
        float[] pieces = new float[n];
        SIMD.dropout(x, 0, whole, 0, n, key, 0, LEVELS / 3, 1.5f);
        SIMD.dropout(x, 0, pieces, 0, split, key, 0, LEVELS / 3, 1.5f);
        SCALAR.dropout(x, split, pieces, split, n - split, key, split, LEVELS / 3, 1.5f);
        assertSameBits(whole, pieces, "split at " + split);
    }

    @Test
    void eachElementIsTheInputTimesZeroOrTheScale() {
        int n = 1000;
        float[] x = Matrices.uniform(new SplittableRandom(3), 0, n);
        float[] y = new float[n];
        SIMD.dropout(x, 0, y, 0, n, 11L, 0, LEVELS / 2, 2f);
        for (int i = 0; i < n; i++) {
            boolean dropped = DropoutMask.bits(11L, i) >>> DropoutMask.DECISION_SHIFT < LEVELS / 2;
            assertThat(y[i]).as("element " + i).isEqualTo(dropped ? x[i] * 0f : x[i] * 2f);
        }
    }

    @Test
    void decisionsLookIndependentWithTheRequestedRate() {
        int n = 200_000;
        for (double rate : new double[] {0.1, 0.4, 0.6}) {
            int dropBelow = (int) Math.ceil(rate * LEVELS);
            boolean[] a = decisions(0x5EEDL, n, dropBelow);
            boolean[] b = decisions(0x5EEDL ^ (1L << 40), n, dropBelow);
            int dropped = 0;
            int neighboursDropped = 0;
            int agreeAcrossKeys = 0;
            for (int i = 0; i < n; i++) {
                dropped += a[i] ? 1 : 0;
                neighboursDropped += i > 0 && a[i] && a[i - 1] ? 1 : 0;
                agreeAcrossKeys += a[i] == b[i] ? 1 : 0;
            }
            // Five binomial standard deviations, sqrt(n p (1 - p)), around each expectation.
            assertWithinFiveSigma("dropped at rate " + rate, dropped, n, rate);
            assertWithinFiveSigma("adjacent pairs dropped at rate " + rate, neighboursDropped, n - 1, rate * rate);
            assertWithinFiveSigma("same decision under a key one bit apart at rate " + rate, agreeAcrossKeys, n,
                    rate * rate + (1 - rate) * (1 - rate));
        }
    }

    @Test
    void dropBelowZeroKeepsEverythingAndTwoToThe24DropsEverything() {
        float[] x = Matrices.uniform(new SplittableRandom(5), 0, 100);
        float[] kept = new float[100];
        float[] dropped = new float[100];
        for (Kernels k : new Kernels[] {SIMD, SCALAR}) {
            k.dropout(x, 0, kept, 0, 100, 9L, 0, 0, 1.5f);
            k.dropout(x, 0, dropped, 0, 100, 9L, 0, LEVELS, 1.5f);
            for (int i = 0; i < 100; i++) {
                assertThat(kept[i]).isEqualTo(x[i] * 1.5f);
                assertThat(dropped[i]).isEqualTo(x[i] * 0f);
            }
        }
    }

    @Test
    void outOfRangeWindowsAreRejected() {
        for (Kernels k : new Kernels[] {SIMD, SCALAR}) {
            assertThatThrownBy(() -> k.dropout(new float[4], 1, new float[8], 0, 4, 1L, 0, 0, 1f))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("dropout: x: offset 1 + length 4 does not fit an array of length 4");
        }
    }

    private static boolean[] decisions(long key, int n, int dropBelow) {
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        SIMD.dropout(ones, 0, ones, 0, n, key, 0, dropBelow, 1f);
        boolean[] dropped = new boolean[n];
        for (int i = 0; i < n; i++) {
            dropped[i] = ones[i] == 0f;
        }
        return dropped;
    }

    private static void assertWithinFiveSigma(String what, int count, int trials, double p) {
        double sigma = Math.sqrt(trials * p * (1 - p));
        assertThat((double) count).as(what).isBetween(trials * p - 5 * sigma, trials * p + 5 * sigma);
    }
}
