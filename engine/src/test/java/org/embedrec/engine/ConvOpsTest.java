package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Convolution by im2col and SGEMM: finite-difference gradient checks over random sizes, strides and
 * padding; values equal to the sum in the definition, computed in plain loops; a hand-computed
 * case; the 1-D convolution as the 2-D one on images of height 1; one result on one and two
 * threads; errors naming the shapes.
 */
class ConvOpsTest {
    private final GradientCheck check = new GradientCheck();
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Property(tries = 60)
    void conv2dGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 2) int batch,
                                               @ForAll @IntRange(min = 1, max = 5) int height,
                                               @ForAll @IntRange(min = 1, max = 5) int width,
                                               @ForAll @IntRange(min = 1, max = 3) int channels,
                                               @ForAll @IntRange(min = 1, max = 3) int filters,
                                               @ForAll @IntRange(min = 1, max = 3) int kh,
                                               @ForAll @IntRange(min = 1, max = 3) int kw,
                                               @ForAll @IntRange(min = 1, max = 2) int stride,
                                               @ForAll @IntRange(min = 0, max = 1) int pad,
                                               @ForAll boolean withBias, @ForAll long seed) {
        int h = Math.min(kh, height + pad);
        int w = Math.min(kw, width + pad);
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, batch, height, width, channels);
        Tensor kernel = RandomTensors.uniform(rng, h, w, channels, filters);
        Tensor bias = RandomTensors.uniform(rng, filters);
        List<Tensor> in = withBias ? List.of(x, kernel, bias) : List.of(x, kernel);
        check.check(t -> Ops.conv2d(t.get(0), t.get(1), withBias ? t.get(2) : null, stride, 3 - stride, pad, 0, 0, pad),
                in, seed);
    }

    @Property(tries = 40)
    void conv1dGradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 3) int batch,
                                               @ForAll @IntRange(min = 1, max = 6) int time,
                                               @ForAll @IntRange(min = 1, max = 3) int channels,
                                               @ForAll @IntRange(min = 1, max = 3) int filters,
                                               @ForAll @IntRange(min = 1, max = 3) int size,
                                               @ForAll @IntRange(min = 1, max = 2) int stride,
                                               @ForAll @IntRange(min = 0, max = 2) int before, @ForAll long seed) {
        int k = Math.min(size, time + before);
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, batch, time, channels);
        Tensor kernel = RandomTensors.uniform(rng, k, channels, filters);
        Tensor bias = RandomTensors.uniform(rng, filters);
        check.check(t -> Ops.conv1d(t.get(0), t.get(1), t.get(2), stride, before, 0), List.of(x, kernel, bias), seed);
    }

    @Property(tries = 40)
    void conv2dIsTheSumOfItsDefinition(@ForAll @IntRange(min = 1, max = 3) int batch,
                                      @ForAll @IntRange(min = 1, max = 9) int height,
                                      @ForAll @IntRange(min = 1, max = 9) int width,
                                      @ForAll @IntRange(min = 1, max = 4) int channels,
                                      @ForAll @IntRange(min = 1, max = 5) int filters,
                                      @ForAll @IntRange(min = 1, max = 4) int kh,
                                      @ForAll @IntRange(min = 1, max = 4) int kw,
                                      @ForAll @IntRange(min = 1, max = 3) int strideH,
                                      @ForAll @IntRange(min = 1, max = 3) int strideW,
                                      @ForAll @IntRange(min = 0, max = 2) int top,
                                      @ForAll @IntRange(min = 0, max = 2) int left, @ForAll long seed) {
        int h = Math.min(kh, height + top + 1);
        int w = Math.min(kw, width + left);
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, batch, height, width, channels);
        Tensor kernel = RandomTensors.uniform(rng, h, w, channels, filters);
        Tensor bias = RandomTensors.uniform(rng, filters);
        Tensor y = Ops.conv2d(x, kernel, bias, strideH, strideW, top, 1, left, 0);
        int outH = (height + top + 1 - h) / strideH + 1;
        int outW = (width + left - w) / strideW + 1;
        assertThat(y.shape()).containsExactly(batch, outH, outW, filters);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < outH; i++) {
                for (int j = 0; j < outW; j++) {
                    for (int f = 0; f < filters; f++) {
                        double sum = bias.data()[f];
                        for (int di = 0; di < h; di++) {
                            for (int dj = 0; dj < w; dj++) {
                                int yy = i * strideH + di - top;
                                int xx = j * strideW + dj - left;
                                if (yy < 0 || yy >= height || xx < 0 || xx >= width) {
                                    continue;
                                }
                                for (int c = 0; c < channels; c++) {
                                    sum += (double) x.get(b, yy, xx, c) * kernel.get(di, dj, c, f);
                                }
                            }
                        }
                        assertThat((double) y.get(b, i, j, f)).isCloseTo(sum, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void aTwoByTwoKernelOfOnesSumsEachWindowByHand() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        Tensor ones = Tensor.full(1f, 2, 2, 1, 1);
        assertThat(Ops.conv2d(x, ones, null, 1, 1, 0, 0, 0, 0).data()).containsExactly(12, 16, 24, 28);
        // Padded by one on every side with stride 2: the corners of the padded image.
        assertThat(Ops.conv2d(x, ones, null, 2, 2, 1, 1, 1, 1).data()).containsExactly(1, 5, 11, 28);
    }

    @Test
    void conv1dIsConv2dOnImagesOfHeightOne() {
        Rng rng = new Rng(6);
        Tensor x = RandomTensors.uniform(rng, 3, 7, 4);
        Tensor kernel = RandomTensors.uniform(rng, 3, 4, 5);
        Tensor y1 = Ops.conv1d(x, kernel, null, 2, 1, 2);
        Tensor y2 = Ops.conv2d(Tensor.wrap(x.data(), 3, 1, 7, 4), Tensor.wrap(kernel.data(), 1, 3, 4, 5), null,
                1, 2, 0, 0, 1, 2);
        assertThat(y1.shape()).containsExactly(3, 4, 5);
        assertThat(y1.data()).containsExactly(y2.data());
    }

    @Test
    void oneAndTwoThreadsGiveTheSameBits() {
        Parallel.setThreads(1);
        List<float[]> one = bigRun();
        Parallel.setThreads(2);
        List<float[]> two = bigRun();
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).as("array %d", i).containsExactly(one.get(i));
        }
    }

    private static List<float[]> bigRun() {
        Rng rng = new Rng(12);
        Tensor x = RandomTensors.uniform(rng, 32, 16, 16, 8);
        Tensor kernel = RandomTensors.uniform(rng, 3, 3, 8, 16);
        Tensor bias = RandomTensors.uniform(rng, 16);
        Tensor y;
        try (GradientTape tape = GradientTape.open()) {
            y = Ops.conv2d(x, kernel, bias, 1, 1, 1, 1, 1, 1);
            tape.backward(Ops.sum(Ops.square(y)));
        }
        return List.of(y.data(), x.grad(), kernel.grad(), bias.grad());
    }

    @Test
    void namesTheShapesThatDoNotFit() {
        assertThatThrownBy(() -> Ops.conv2d(Tensor.zeros(2, 8, 8, 3), Tensor.zeros(3, 3, 1, 4), null, 1, 1, 0, 0, 0, 0))
                .hasMessage("conv2d: input [2, 8, 8, 3], kernel [3, 3, 1, 4]: expected a kernel [height, width, 3, "
                        + "filters] (one slice per input channel)");
        assertThatThrownBy(() -> Ops.conv2d(Tensor.zeros(2, 2, 2, 1), Tensor.zeros(3, 3, 1, 4), null, 1, 1, 0, 0, 0, 0))
                .hasMessage("conv2d: input [2, 2, 2, 1], kernel [3, 3, 1, 4]: the kernel (3 x 3) is larger than the "
                        + "padded input (2 x 2)");
        assertThatThrownBy(() -> Ops.conv1d(Tensor.zeros(2, 8), Tensor.zeros(3, 1, 4), null, 1, 0, 0))
                .hasMessage("conv1d: input [2, 8], kernel [3, 1, 4]: expected an input [batch, time, channels]");
        assertThatThrownBy(() -> Ops.conv1d(Tensor.zeros(2, 8, 1), Tensor.zeros(3, 1, 4), Tensor.zeros(3), 1, 0, 0))
                .hasMessage("conv1d: input [2, 8, 1], kernel [3, 1, 4], bias [3]: expected a bias [4]");
        assertThatThrownBy(() -> Ops.conv1d(Tensor.zeros(2, 8, 1), Tensor.zeros(3, 1, 4), null, 0, 0, 0))
                .hasMessage("conv1d: input [2, 8, 1], kernel [3, 1, 4]: strides must be at least 1, got 1 and 0");
    }
}
