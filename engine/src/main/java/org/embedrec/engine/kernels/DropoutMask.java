package org.embedrec.engine.kernels;

/**
 * The keep-or-drop decision of inverted dropout as a counter-based random function: element
 * {@code i} of a call with key {@code key} is dropped when the top 24 bits of
 * {@link #bits(long, int) bits(key, i)} are below {@code dropBelow}, and every element is then
 * multiplied by 0 (dropped) or the keep scale. With {@code dropBelow = ceil(rate * 2^24)} an
 * element is dropped with probability {@code rate} to within 2^-24, the decision
 * {@code nextFloat() < rate} of a 24-bit uniform float.
 *
 * <p>Why a hash of the index rather than a sequential generator: each element's decision
 * depends only on (key, index), so there is no serial state between elements. The SIMD kernel
 * computes sixteen decisions in a few vector instructions without a branch per element (a
 * data-dependent branch taken with probability {@code rate} mispredicts about half the time at
 * rate 0.5), and the backward pass regenerates the mask from the key instead of storing it.
 *
 * <p>The hash is two rounds of Wellons's "lowbias32" integer finaliser (a bijection on 32-bit
 * words with near-ideal avalanche) over a Weyl sequence of the index, with the key's low word
 * added before the first round and its high word mixed in between: for a fixed key, distinct
 * indices give distinct words, and flipping any key bit changes every output bit with
 * probability about 1/2. Only 32-bit multiplies, shifts and xors, so the scalar and vector
 * versions agree bit for bit on any hardware and under the interpreter.
 */
final class DropoutMask {
    static final int WEYL = 0x9E3779B9;
    static final int MIX1 = 0x21F0AAAD;
    static final int MIX2 = 0x735A2D97;
    /** The decision reads the top 24 bits, as a 24-bit uniform float would. */
    static final int DECISION_SHIFT = 8;

    private DropoutMask() {}

    /** The random word of element {@code index} under {@code key}. */
    static int bits(long key, int index) {
        int h = index * WEYL + (int) key;
        h = lowbias32(h) ^ (int) (key >>> 32);
        return lowbias32(h);
    }

    private static int lowbias32(int x) {
        x ^= x >>> 16;
        x *= MIX1;
        x ^= x >>> 15;
        x *= MIX2;
        x ^= x >>> 15;
        return x;
    }

    /** The reference kernel: see {@link Kernels#dropout}. */
    static void apply(float[] x, int xOff, float[] out, int outOff, int n, long key, int first, int dropBelow,
                      float scale) {
        for (int i = 0; i < n; i++) {
            float m = bits(key, first + i) >>> DECISION_SHIFT < dropBelow ? 0f : scale;
            out[outOff + i] = x[xOff + i] * m;
        }
    }
}
