package org.embedrec.engine.kernels;

/**
 * The numeric kernels every op runs on: flat arrays, offsets, no allocation.
 *
 * <p>Two implementations: {@link SimdKernels} (jdk.incubator.vector) and {@link ScalarKernels},
 * the reference. {@link #get()} returns the one chosen at start-up. Matrices are row-major and
 * contiguous: an {@code m x k} matrix at offset {@code off} has leading dimension {@code k}.
 */
public interface Kernels {

    /** The kernels chosen at start-up: SIMD when the Vector API is present, scalar otherwise. */
    static Kernels get() {
        return KernelSelection.CHOSEN;
    }

    /** A short name for reports: "simd-512" or "scalar". */
    String name();

    /**
     * {@code C = op(A) * op(B)} or, with {@code accumulate}, {@code C += op(A) * op(B)}, where
     * {@code op(A)} is {@code m x k} ({@code A} stored {@code k x m} when {@code transA}) and
     * {@code op(B)} is {@code k x n} ({@code B} stored {@code n x k} when {@code transB}).
     * Each element of C is summed in an order that does not depend on the thread count.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, boolean accumulate);

    /**
     * {@code op(B)} ({@code k x n}; {@code B} stored {@code n x k} when {@code transB}) packed for
     * {@link #sgemmPacked}: pack once, multiply many times. Reads {@code B} now; later changes to
     * it are not seen by the SIMD kernels (the scalar ones keep reading it).
     */
    PackedMatrix pack(boolean transB, int n, int k, float[] b, int bOff);

    /**
     * {@code C = A * op(B)} ({@code A} is {@code m x k}, not transposed) for a {@link #pack}ed
     * {@code op(B)}: bit for bit what {@code sgemm(false, transB, m, n, k, a, aOff, b, bOff, c,
     * cOff, false)} gives, on any number of threads, without packing B again.
     */
    void sgemmPacked(int m, float[] a, int aOff, PackedMatrix b, float[] c, int cOff);

    /** Dot product of {@code n} elements. */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /**
     * Dot product of {@code n} floats with {@code n} signed bytes read as the integers they
     * hold: {@code sum_i a[aOff + i] * codes[cOff + i]}. For scalar-quantised vectors, whose
     * bytes take a quarter of the memory (and cache lines) of the floats they stand for. The
     * products of small integers by floats are exact or singly rounded alike everywhere, the
     * summation order is the implementation's.
     */
    float dotBytes(float[] a, int aOff, byte[] codes, int cOff, int n);

    /** {@code y += alpha * x} over {@code n} elements. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code x *= alpha} over {@code n} elements. */
    void scale(float alpha, float[] x, int xOff, int n);

    /**
     * {@code out = a + b} elementwise over {@code n} elements. {@code out} may be {@code a} or
     * {@code b} at the same offset (in place); other overlaps are not supported.
     */
    void add(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /**
     * {@code out = a + b} elementwise over {@code n >= 1} elements, as {@link #add} (same aliasing),
     * returning the largest output: {@code Math.max} folded over them, so NaN if any is NaN and
     * {@code +0} over {@code -0}. One pass where a softmax row would take three (the shift, then
     * {@link #maxIndex}'s two); bit for bit the same in every implementation.
     */
    float addMax(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** {@code out = a * b} elementwise over {@code n} elements; aliasing as for {@link #add}. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    /** The sum of {@code n} elements (0 when {@code n == 0}); the order of the additions is unspecified. */
    float sum(float[] x, int xOff, int n);

    /**
     * {@code out = exp(x - shift)} elementwise over {@code n} elements, returning the sum of the
     * outputs (0 when {@code n == 0}; the order of the additions is unspecified but depends on
     * {@code n} only). The inner loop of a softmax: with {@code shift} the row maximum no exponent
     * is positive, so nothing overflows. {@code out} may be {@code x} at the same offset.
     */
    float expSum(float[] x, int xOff, float shift, float[] out, int outOff, int n);

    /**
     * {@code out = 1 / (1 + exp(-x))} elementwise over {@code n} elements, within a few units of the
     * last place of the exact value; 0 and 1 at the extremes, NaN for NaN. {@code out} may be
     * {@code x} at the same offset. The gates of the recurrent layers.
     */
    void sigmoid(float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * {@code out = tanh(x)} elementwise over {@code n} elements, within {@code 2e-7} of the exact
     * value (and within a few units of the last place); {@code +-1} at the extremes, NaN for NaN.
     * {@code out} may be {@code x} at the same offset.
     */
    void tanh(float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * How many of {@code n} elements are strictly greater than {@code threshold}; NaN is never
     * greater, and nothing is greater than NaN. The rank of a score within a row of scores.
     */
    int countGreater(float[] x, int xOff, int n, float threshold);

    /**
     * {@link #countGreater} for {@code t} thresholds over the same elements:
     * {@code counts[cOff + i] = countGreater(x, xOff, n, thresholds[tOff + i])}. The ranks of
     * several true scores within one row of scores, reading the row once per few thresholds.
     */
    void countGreater(float[] x, int xOff, int n, float[] thresholds, int tOff, int t, int[] counts, int cOff);

    /**
     * {@code out = max(x, 0)} elementwise, with {@link Math#max(float, float)} semantics: NaN
     * stays NaN (so a diverging model is not hidden), {@code -0} becomes {@code +0}. {@code out}
     * may be {@code x} at the same offset.
     */
    void relu(float[] x, int xOff, float[] out, int outOff, int n);

    /**
     * A dense layer's bias and activation in one pass: adds {@code bias[biasOff .. biasOff+cols)}
     * to each of {@code rows} consecutive rows of {@code x} ({@code cols} wide, from {@code xOff})
     * in place, then, when {@code relu}, takes {@code max(value, 0)} as {@link #relu} does. Each
     * element is rounded once per step, so the result equals an add followed by a relu, bit for bit.
     */
    void addBias(float[] x, int xOff, int rows, int cols, float[] bias, int biasOff, boolean relu);

    /**
     * The backward mask of relu, in place: {@code g[i] = y[i] > 0 ? g[i] : +0} over {@code n}
     * elements, where {@code y} is the relu's input or output (both are positive at the same
     * places; NaN is not positive, so it masks).
     */
    void reluMask(float[] y, int yOff, float[] g, int gOff, int n);

    /**
     * Column sums added into {@code out}: {@code out[outOff + j] += x[r][j]} for the {@code rows}
     * rows of {@code x} ({@code cols} wide, from {@code xOff}), in row order, so each sum is the
     * same chain of float additions as a plain loop over the rows (a bias gradient).
     */
    void addColumnSums(float[] x, int xOff, int rows, int cols, float[] out, int outOff);

    /**
     * One Adam step over {@code n} scalars from {@code off}, in place, in the form Keras uses:
     * with {@code gi = g[gOff + i] * gradScale}, {@code m = b1 m + (1 - b1) gi},
     * {@code v = b2 v + (1 - b2) gi gi} and {@code w = w decay - alpha m / (sqrt(v) + eps)}.
     * Every implementation does these float operations in this order, element by element, so
     * they agree bit for bit.
     */
    void adamStep(float[] w, float[] m, float[] v, int off, float[] g, int gOff, int n, float gradScale,
                  float beta1, float beta2, float alpha, float epsilon, float decay);

    /**
     * One Adagrad step over {@code n} scalars from {@code off}, in place: with
     * {@code gi = g[gOff + i] * gradScale}, {@code acc += gi gi} and
     * {@code w -= lr gi / (sqrt(acc) + eps)}; bit for bit the same in every implementation.
     */
    void adagradStep(float[] w, float[] acc, int off, float[] g, int gOff, int n, float gradScale,
                     float learningRate, float epsilon);

    /**
     * The index, counted from {@code xOff}, of the first largest of {@code n >= 1} elements: the
     * result of a left-to-right scan that moves only on a strictly greater element. NaN is never
     * greater, so NaNs are skipped, except a NaN at index 0, which nothing replaces.
     */
    int maxIndex(float[] x, int xOff, int n);

    /**
     * Inverted dropout over {@code n} elements: {@code out[i] = x[i] * (dropped ? 0 : scale)},
     * element {@code i} (counted from the offsets) dropped when the top 24 bits of a hash of
     * {@code (key, first + i)} are below {@code dropBelow} ({@link DropoutMask}), so a key fixes
     * the mask, the backward pass regenerates it, and a tensor's mask may be computed in pieces
     * (each piece passing its position as {@code first}). {@code out} may be {@code x} at the
     * same offset. Bit for bit the same in every implementation.
     */
    void dropout(float[] x, int xOff, float[] out, int outOff, int n, long key, int first, int dropBelow,
                 float scale);
}
