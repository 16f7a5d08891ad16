package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * Conv2D, Conv1D, MaxPool2D and the global poolings as layers: Keras's output sizes for valid and
 * same padding, gradients through the input and the parameters, Glorot limits from the kernel's
 * receptive field, masks in the global poolings, errors naming the layer.
 */
class ConvolutionLayersTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 30)
    void conv2dGradients(@ForAll @IntRange(min = 1, max = 5) int height, @ForAll @IntRange(min = 1, max = 5) int width,
                         @ForAll @IntRange(min = 1, max = 3) int kernel, @ForAll @IntRange(min = 1, max = 2) int stride,
                         @ForAll boolean same, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int k = same ? kernel : Math.min(kernel, Math.min(height, width));
        Conv2D conv = Conv2D.builder(2, 3, k, k).strides(stride, stride).padding(same ? Padding.SAME : Padding.VALID)
                .activation(Activation.TANH).build(rng);
        TestTensors.fill(conv.bias().orElseThrow().value(), rng, -0.5f, 0.5f);
        Tensor x = TestTensors.random(rng, 2, height, width, 2);
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        for (Parameter p : conv.parameters()) {
            inputs.add(p.value());
        }
        check.check(in -> conv.apply(in.get(0)), inputs, seed);
    }

    @Property(tries = 30)
    void conv1dGradients(@ForAll @IntRange(min = 1, max = 6) int time, @ForAll @IntRange(min = 1, max = 3) int kernel,
                         @ForAll boolean same, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int k = same ? kernel : Math.min(kernel, time);
        Conv1D conv = Conv1D.builder(3, 2, k).padding(same ? Padding.SAME : Padding.VALID).build(rng);
        Tensor x = TestTensors.random(rng, 2, time, 3);
        check.check(in -> conv.apply(in.get(0)), List.of(x, conv.kernel().value(), conv.bias().orElseThrow().value()),
                seed);
    }

    @Test
    void outputSizesFollowKerasForValidAndSamePadding() {
        Rng rng = new Rng(1);
        Tensor images = Tensor.zeros(2, 8, 7, 1);
        assertThat(Conv2D.builder(1, 4, 3, 3).build(rng).apply(images).shape()).containsExactly(2, 6, 5, 4);
        assertThat(Conv2D.builder(1, 4, 3, 3).padding(Padding.SAME).build(rng).apply(images).shape())
                .containsExactly(2, 8, 7, 4);
        assertThat(Conv2D.builder(1, 4, 3, 3).padding(Padding.SAME).strides(2, 2).build(rng).apply(images).shape())
                .containsExactly(2, 4, 4, 4);
        assertThat(new MaxPool2D(2, 2).apply(images).shape()).containsExactly(2, 4, 3, 1);
        Tensor words = Tensor.zeros(3, 10, 16);
        assertThat(Conv1D.builder(16, 8, 3).build(rng).apply(words).shape()).containsExactly(3, 8, 8);
        assertThat(Conv1D.builder(16, 8, 3).padding(Padding.SAME).build(rng).apply(words).shape())
                .containsExactly(3, 10, 8);
        assertThat(new GlobalMaxPooling1D().apply(words).shape()).containsExactly(3, 16);
        assertThat(new GlobalAveragePooling1D().apply(words).shape()).containsExactly(3, 16);
    }

    @Test
    void kernelsAreGlorotUniformOverTheReceptiveField() {
        Conv2D conv = Conv2D.builder(4, 8, 3, 3).build(new Rng(2));
        assertThat(conv.namedParameters()).containsOnlyKeys("kernel", "bias");
        assertThat(conv.kernel().shape()).containsExactly(3, 3, 4, 8);
        float limit = (float) Math.sqrt(6.0 / (9 * 4 + 9 * 8));
        float max = 0f;
        for (float w : conv.kernel().value().data()) {
            max = Math.max(max, Math.abs(w));
        }
        assertThat(max).isLessThanOrEqualTo(limit).isGreaterThan(0.9f * limit);
    }

    @Test
    void globalPoolingLayersLeaveOutPaddedSteps() {
        Tensor x = Tensor.of(new float[] {1, 10, 2, 20, 99, 99}, 1, 3, 2);
        SequenceMask mask = SequenceMask.rightPadded(new int[] {2}, 3);
        assertThat(new GlobalAveragePooling1D().apply(x, mask).data()).containsExactly(1.5f, 15f);
        assertThat(new GlobalMaxPooling1D().apply(x, mask).data()).containsExactly(2f, 20f);
    }

    @Test
    void namesTheLayerAndTheShapesThatDoNotFit() {
        Conv2D conv = Conv2D.builder(3, 8, 3, 3).name("stem").build(new Rng(1));
        assertThatThrownBy(() -> conv.apply(Tensor.zeros(2, 8, 8, 1)))
                .hasMessage("conv2d 'stem': expected images [batch, height, width, 3], got [2, 8, 8, 1]");
        assertThatThrownBy(() -> conv.apply(Tensor.zeros(2, 2, 8, 3)))
                .hasMessage("conv2d 'stem': images [2, 2, 8, 3] are smaller than the 3 x 3 kernel");
        assertThatThrownBy(() -> Conv1D.builder(3, 8, 5).build(new Rng(1)).apply(Tensor.zeros(2, 4, 3)))
                .hasMessage("conv1d 'conv1d': sequences [2, 4, 3] are shorter than the kernel of 5 steps");
        assertThatThrownBy(() -> new MaxPool2D(2, 2).apply(Tensor.zeros(2, 1, 8, 3)))
                .hasMessage("max_pool2d 'max_pool2d': expected images [batch, height >= 2, width >= 2, channels], "
                        + "got [2, 1, 8, 3]");
        assertThatThrownBy(() -> Conv2D.builder(3, 0, 3, 3).build(new Rng(1)))
                .hasMessage("conv2d 'conv2d': filters must be positive, got 0");
    }
}
