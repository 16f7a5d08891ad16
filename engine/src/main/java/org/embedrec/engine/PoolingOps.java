package org.embedrec.engine;

import java.util.Arrays;

/**
 * Pooling: windowed maximum over images and the average or maximum over the steps of sequences.
 *
 * <p>A maximum remembers where it came from (the first largest value in scan order; NaN is never
 * larger, so NaNs are skipped unless a whole window is NaN) and backward sends each output's
 * gradient to that one input. Overlapping windows may send several gradients to one input: the
 * images are split over threads, never one image, so those sums keep one order.
 */
final class PoolingOps {
    /** Output values per parallel chunk. */
    private static final int GRAIN_VALUES = 1 << 14;

    private PoolingOps() {}

    /**
     * Maximum over {@code poolH x poolW} windows of {@code x [batch, height, width, channels]},
     * moved by the strides, windows wholly inside the image (Keras's {@code padding="valid"}):
     * {@code [batch, (height - poolH) / strideH + 1, (width - poolW) / strideW + 1, channels]}.
     */
    static Tensor maxPool2d(Tensor x, int poolH, int poolW, int strideH, int strideW) {
        String where = "maxPool2d: input " + Shape.toString(x.shape()) + ", pool " + poolH + " x " + poolW
                + ", strides " + strideH + " x " + strideW + ": ";
        if (x.rank() != 4) {
            throw new IllegalArgumentException(where + "expected an input [batch, height, width, channels]");
        }
        if (poolH < 1 || poolW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(where + "pool sizes and strides must be at least 1");
        }
        int batch = x.dim(0);
        int height = x.dim(1);
        int width = x.dim(2);
        int channels = x.dim(3);
        if (poolH > height || poolW > width) {
            throw new IllegalArgumentException(where + "the pool is larger than the image");
        }
        int outH = (height - poolH) / strideH + 1;
        int outW = (width - poolW) / strideW + 1;
        Tensor out = Tensor.zeros(batch, outH, outW, channels);
        float[] xs = x.data();
        float[] o = out.data();
        int[] from = new int[o.length];
        int perImage = outH * outW * channels;
        int grain = Math.max(1, GRAIN_VALUES / Math.max(1, perImage));
        Parallel.forRange(batch, grain, (lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                for (int i = 0; i < outH; i++) {
                    for (int j = 0; j < outW; j++) {
                        // Channels innermost, where they are contiguous: every pixel of the window in
                        // scan order, each channel keeping its first largest. Selects, not branches:
                        // on real images the comparisons go either way and a branch mispredicts.
                        int at = ((b * outH + i) * outW + j) * channels;
                        int corner = ((b * height + i * strideH) * width + j * strideW) * channels;
                        for (int c = 0; c < channels; c++) {
                            o[at + c] = xs[corner + c];
                            from[at + c] = corner + c;
                        }
                        for (int di = 0; di < poolH; di++) {
                            for (int dj = di == 0 ? 1 : 0; dj < poolW; dj++) {
                                int pixel = ((b * height + i * strideH + di) * width + j * strideW + dj) * channels;
                                for (int c = 0; c < channels; c++) {
                                    float v = xs[pixel + c];
                                    boolean larger = v > o[at + c];
                                    o[at + c] = larger ? v : o[at + c];
                                    from[at + c] = larger ? pixel + c : from[at + c];
                                }
                            }
                        }
                    }
                }
            }
        });
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            Parallel.forRange(batch, grain, (lo, hi) -> {
                for (int k = lo * perImage; k < hi * perImage; k++) {
                    gx[from[k]] += g[k];
                }
            });
        }, x);
    }

    /**
     * Mean over the steps of {@code x [batch, time, channels]} -> {@code [batch, channels]}, over the
     * real steps only when {@code mask} is given; a sequence with none gives zeros.
     */
    static Tensor globalAveragePool1d(Tensor x, SequenceMask mask) {
        int[] s = checkSequences("globalAveragePool1d", x, mask);
        int batch = s[0];
        int time = s[1];
        int channels = s[2];
        Tensor out = Tensor.zeros(batch, channels);
        float[] xs = x.data();
        float[] o = out.data();
        float[] share = new float[batch];
        double[] acc = new double[channels];
        for (int b = 0; b < batch; b++) {
            int count = mask == null ? time : mask.length(b);
            share[b] = count == 0 ? 0f : 1f / count;
            Arrays.fill(acc, 0.0);
            for (int t = 0; t < time; t++) {
                if (mask != null && !mask.isValid(b, t)) {
                    continue;
                }
                int row = (b * time + t) * channels;
                for (int c = 0; c < channels; c++) {
                    acc[c] += xs[row + c];
                }
            }
            for (int c = 0; c < channels; c++) {
                o[b * channels + c] = count == 0 ? 0f : (float) (acc[c] / count);
            }
        }
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < time; t++) {
                    if (mask != null && !mask.isValid(b, t)) {
                        continue;
                    }
                    int row = (b * time + t) * channels;
                    for (int c = 0; c < channels; c++) {
                        gx[row + c] += g[b * channels + c] * share[b];
                    }
                }
            }
        }, x);
    }

    /**
     * Maximum over the steps of {@code x [batch, time, channels]} -> {@code [batch, channels]}, over
     * the real steps only when {@code mask} is given; a sequence with none gives zeros.
     */
    static Tensor globalMaxPool1d(Tensor x, SequenceMask mask) {
        int[] s = checkSequences("globalMaxPool1d", x, mask);
        int batch = s[0];
        int time = s[1];
        int channels = s[2];
        Tensor out = Tensor.zeros(batch, channels);
        float[] xs = x.data();
        float[] o = out.data();
        int[] from = new int[o.length];
        Arrays.fill(from, -1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                if (mask != null && !mask.isValid(b, t)) {
                    continue;
                }
                int row = (b * time + t) * channels;
                for (int c = 0; c < channels; c++) {
                    int at = b * channels + c;
                    if (from[at] < 0 || xs[row + c] > xs[from[at]]) {
                        from[at] = row + c;
                    }
                }
            }
            for (int c = 0; c < channels; c++) {
                int at = b * channels + c;
                o[at] = from[at] < 0 ? 0f : xs[from[at]];
            }
        }
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            for (int k = 0; k < g.length; k++) {
                if (from[k] >= 0) {
                    gx[from[k]] += g[k];
                }
            }
        }, x);
    }

    /** {batch, time, channels} of a sequence tensor, checked against the mask. */
    private static int[] checkSequences(String op, Tensor x, SequenceMask mask) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException(op + ": input " + Shape.toString(x.shape())
                    + ": expected sequences [batch, time, channels]");
        }
        if (mask != null) {
            mask.checkCovers(op, x.dim(0), x.dim(1));
        }
        return x.shape();
    }
}
