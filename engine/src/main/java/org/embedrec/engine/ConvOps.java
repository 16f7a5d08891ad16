package org.embedrec.engine;

import java.util.Arrays;
import org.embedrec.engine.kernels.Kernels;

/**
 * Convolution (cross-correlation, as every framework computes it) on channels-last data, by
 * im2col and one SGEMM. For images {@code x [batch, height, width, channels]} and a kernel
 * {@code W [kh, kw, channels, filters]}:
 * <pre>
 * y[b, i, j, f] = bias[f] + sum over (di, dj, c) of x[b, i sh + di - top, j sw + dj - left, c] W[di, dj, c, f]
 * </pre>
 * with zeros outside the image (the padding). The patch under each output position is copied into
 * one row of a {@code [batch * outH * outW, kh * kw * channels]} matrix; since the kernel's
 * row-major layout is already {@code [kh * kw * channels, filters]}, the whole convolution is one
 * product of the two. In channels-last order the patch's values of one kernel row are contiguous in
 * the image, so a row is built from {@code kh} block copies.
 *
 * <p>Backward, with {@code dY} the output's gradient as {@code [rows, filters]}: {@code db} its
 * column sums, {@code dW = patches^T dY}, and the patches' gradient {@code dY W^T}, which is added
 * back to the pixels each patch was copied from (col2im). Patches overlap, so col2im runs one image
 * per task, each in a fixed order: the same sums on any number of threads.
 *
 * <p>A 1-D convolution over sequences {@code [batch, time, channels]} is the 2-D one on images of
 * height 1, read from the same arrays.
 */
final class ConvOps {
    /** Values copied per parallel chunk of im2col and col2im. */
    private static final int GRAIN_VALUES = 1 << 14;

    private ConvOps() {}

    /** The geometry of one call: input, kernel, strides, padding and the output size they give. */
    record Geometry(int batch, int height, int width, int channels, int kh, int kw, int filters,
                    int strideH, int strideW, int top, int left, int outH, int outW) {

        int rows() {
            return batch * outH * outW;
        }

        int patch() {
            return kh * kw * channels;
        }
    }

    /**
     * 2-D convolution of {@code x [batch, height, width, channels]} by {@code kernel [kh, kw,
     * channels, filters]} plus {@code bias [filters]} (null for none), with strides and zero padding
     * on each side: {@code [batch, outH, outW, filters]}.
     */
    static Tensor conv2d(Tensor x, Tensor kernel, Tensor bias, int strideH, int strideW,
                         int top, int bottom, int left, int right) {
        String shapes = "conv2d: input " + Shape.toString(x.shape()) + ", kernel " + Shape.toString(kernel.shape())
                + (bias == null ? "" : ", bias " + Shape.toString(bias.shape())) + ": ";
        if (x.rank() != 4) {
            throw new IllegalArgumentException(shapes + "expected an input [batch, height, width, channels]");
        }
        if (kernel.rank() != 4 || kernel.dim(2) != x.dim(3)) {
            throw new IllegalArgumentException(shapes + "expected a kernel [height, width, " + x.dim(3)
                    + ", filters] (one slice per input channel)");
        }
        Geometry g = geometry(shapes, x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernel.dim(0), kernel.dim(1),
                kernel.dim(3), strideH, strideW, top, bottom, left, right);
        checkBias(shapes, bias, g.filters());
        Tensor out = Tensor.zeros(g.batch(), g.outH(), g.outW(), g.filters());
        return convolve(g, x, kernel, bias, out);
    }

    /**
     * 1-D convolution of sequences {@code x [batch, time, channels]} by {@code kernel [k, channels,
     * filters]} plus {@code bias [filters]} (null for none), with a stride and zero padding before
     * and after: {@code [batch, outTime, filters]}.
     */
    static Tensor conv1d(Tensor x, Tensor kernel, Tensor bias, int stride, int before, int after) {
        String shapes = "conv1d: input " + Shape.toString(x.shape()) + ", kernel " + Shape.toString(kernel.shape())
                + (bias == null ? "" : ", bias " + Shape.toString(bias.shape())) + ": ";
        if (x.rank() != 3) {
            throw new IllegalArgumentException(shapes + "expected an input [batch, time, channels]");
        }
        if (kernel.rank() != 3 || kernel.dim(1) != x.dim(2)) {
            throw new IllegalArgumentException(shapes + "expected a kernel [size, " + x.dim(2)
                    + ", filters] (one slice per input channel)");
        }
        Geometry g = geometry(shapes, x.dim(0), 1, x.dim(1), x.dim(2), 1, kernel.dim(0), kernel.dim(2),
                1, stride, 0, 0, before, after);
        checkBias(shapes, bias, g.filters());
        Tensor out = Tensor.zeros(g.batch(), g.outW(), g.filters());
        return convolve(g, x, kernel, bias, out);
    }

    private static Geometry geometry(String shapes, int batch, int height, int width, int channels, int kh, int kw,
                                     int filters, int strideH, int strideW, int top, int bottom, int left, int right) {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException(shapes + "strides must be at least 1, got " + strideH + " and " + strideW);
        }
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException(shapes + "padding must be >= 0, got top " + top + ", bottom " + bottom
                    + ", left " + left + ", right " + right);
        }
        if (kh < 1 || kw < 1 || filters < 1 || channels < 1) {
            throw new IllegalArgumentException(shapes + "expected a non-empty kernel and input channels");
        }
        int paddedH = height + top + bottom;
        int paddedW = width + left + right;
        if (paddedH < kh || paddedW < kw) {
            throw new IllegalArgumentException(shapes + "the kernel (" + kh + " x " + kw + ") is larger than the "
                    + "padded input (" + paddedH + " x " + paddedW + ")");
        }
        return new Geometry(batch, height, width, channels, kh, kw, filters, strideH, strideW, top, left,
                (paddedH - kh) / strideH + 1, (paddedW - kw) / strideW + 1);
    }

    private static void checkBias(String shapes, Tensor bias, int filters) {
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != filters)) {
            throw new IllegalArgumentException(shapes + "expected a bias [" + filters + "]");
        }
    }

    /** Forward into {@code out} and the backward rule, for either rank (the arrays are the same). */
    private static Tensor convolve(Geometry g, Tensor x, Tensor kernel, Tensor bias, Tensor out) {
        Kernels kern = Kernels.get();
        int rows = g.rows();
        int patch = g.patch();
        float[] patches = new float[Shape.size(new int[] {rows, patch})];
        im2col(g, x.data(), patches);
        float[] w = kernel.data();
        float[] y = out.data();
        kern.sgemm(false, false, rows, g.filters(), patch, patches, 0, w, 0, y, 0, false);
        if (bias != null) {
            kern.addBias(y, 0, rows, g.filters(), bias.data(), 0, false);
        }
        GradientTape.Backward rule = dy -> {
            if (bias != null && bias.requiresGrad()) {
                kern.addColumnSums(dy, 0, rows, g.filters(), bias.gradBuffer(), 0);
            }
            if (kernel.requiresGrad()) {
                kern.sgemm(true, false, patch, g.filters(), rows, patches, 0, dy, 0, kernel.gradBuffer(), 0, true);
            }
            if (x.requiresGrad()) {
                // The patches are spent once the kernel has its gradient: their array takes theirs.
                kern.sgemm(false, true, rows, patch, g.filters(), dy, 0, w, 0, patches, 0, false);
                col2im(g, patches, x.gradBuffer());
            }
        };
        return bias == null
                ? GradientTape.record(out, rule, x, kernel)
                : GradientTape.record(out, rule, x, kernel, bias);
    }

    /** Row {@code (b, i, j)} of {@code patches} is the input under output position {@code (i, j)} of image b. */
    private static void im2col(Geometry g, float[] x, float[] patches) {
        int grain = Math.max(1, GRAIN_VALUES / g.patch());
        Span copy = (src, dst, n, zerosBefore, zerosAfter) -> {
            Arrays.fill(patches, dst, dst + zerosBefore, 0f);
            System.arraycopy(x, src, patches, dst + zerosBefore, n);
            Arrays.fill(patches, dst + zerosBefore + n, dst + zerosBefore + n + zerosAfter, 0f);
        };
        Parallel.forRange(g.rows(), grain, (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                forEachKernelRow(g, r, copy);
            }
        });
    }

    /** Adds each patch row's gradient back onto the pixels it was copied from, one image per task. */
    private static void col2im(Geometry g, float[] patchGrad, float[] dx) {
        Kernels kern = Kernels.get();
        int perImage = g.outH() * g.outW();
        int grain = Math.max(1, GRAIN_VALUES / Math.max(1, perImage * g.patch()));
        Span addBack = (src, dst, n, zerosBefore, zerosAfter) ->
                kern.add(dx, src, patchGrad, dst + zerosBefore, dx, src, n);
        Parallel.forRange(g.batch(), grain, (lo, hi) -> {
            for (int r = lo * perImage; r < hi * perImage; r++) {
                forEachKernelRow(g, r, addBack);
            }
        });
    }

    /** One kernel row's span of a patch: {@code n} values at {@code src} in the input, at {@code dst} in the patch. */
    @FunctionalInterface
    private interface Span {
        void apply(int src, int dst, int n, int zerosBefore, int zerosAfter);
    }

    /**
     * Calls {@code span} for each kernel row {@code di} of patch row {@code r}: the pixels of that
     * row under the kernel, contiguous in channels-last order, after the columns that fall in the
     * left padding and before those in the right; a kernel row wholly in the top or bottom padding
     * is all zeros.
     */
    private static void forEachKernelRow(Geometry g, int r, Span span) {
        int j = r % g.outW();
        int i = (r / g.outW()) % g.outH();
        int b = r / (g.outW() * g.outH());
        int c = g.channels();
        int x0 = j * g.strideW() - g.left();
        int firstCol = Math.max(0, -x0);
        int endCol = Math.min(g.kw(), g.width() - x0);
        int rowValues = g.kw() * c;
        for (int di = 0; di < g.kh(); di++) {
            int dst = r * g.patch() + di * rowValues;
            int y = i * g.strideH() - g.top() + di;
            if (y < 0 || y >= g.height() || endCol <= firstCol) {
                span.apply(0, dst, 0, rowValues, 0);
                continue;
            }
            int src = ((b * g.height() + y) * g.width() + x0 + firstCol) * c;
            span.apply(src, dst, (endCol - firstCol) * c, firstCol * c, (g.kw() - endCol) * c);
        }
    }
}
