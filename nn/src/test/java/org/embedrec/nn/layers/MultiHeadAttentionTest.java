package org.embedrec.nn.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * The attention layer: gradients through the inputs and every projection, causal self-attention
 * that ignores later steps, padding that ignores padded keys, dropout only while training, Keras's
 * parameter names, errors naming the layer.
 */
class MultiHeadAttentionTest {
    private final GradientCheck check = new GradientCheck();

    @Property(tries = 30)
    void gradientsReachTheInputsAndEveryProjection(@ForAll @IntRange(min = 1, max = 2) int batch,
                                                   @ForAll @IntRange(min = 1, max = 4) int time,
                                                   @ForAll @IntRange(min = 1, max = 2) int heads,
                                                   @ForAll @IntRange(min = 1, max = 3) int keyDim,
                                                   @ForAll boolean causal, @ForAll long seed) {
        Rng rng = new Rng(seed);
        MultiHeadAttention layer = MultiHeadAttention.builder(3, heads, keyDim).valueDim(2).outputDim(4)
                .causal(causal).build(rng);
        for (Parameter p : layer.parameters()) {
            TestTensors.fill(p.value(), rng, -0.8f, 0.8f);
        }
        Tensor x = TestTensors.random(rng, batch, time, 3);
        SequenceMask mask = SequenceMask.leftPadded(RecurrentLayersTest.lengths(rng, batch, time), time);
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x);
        for (Parameter p : layer.parameters()) {
            inputs.add(p.value());
        }
        check.check(in -> layer.apply(in.get(0), mask), inputs, seed);
    }

    @Test
    void crossAttentionGradientsReachQueriesAndKeys() {
        Rng rng = new Rng(2);
        MultiHeadAttention layer = MultiHeadAttention.builder(3, 2, 2).build(rng);
        Tensor queries = TestTensors.random(rng, 2, 3, 3);
        Tensor source = TestTensors.random(rng, 2, 5, 3);
        SequenceMask sourceMask = SequenceMask.rightPadded(new int[] {5, 2}, 5);
        check.check(in -> layer.apply(in.get(0), in.get(1), null, sourceMask), List.of(queries, source), 2);
        assertThat(layer.apply(queries, source, null, sourceMask).shape()).containsExactly(2, 3, 3);
    }

    @Test
    void causalSelfAttentionIgnoresLaterStepsAndPaddedKeys() {
        Rng rng = new Rng(3);
        MultiHeadAttention layer = MultiHeadAttention.builder(4, 2, 3).causal(true).build(rng);
        Tensor x = TestTensors.random(rng, 1, 5, 4);
        Tensor changed = x.copy();
        Arrays.fill(changed.data(), 16, 20, 9f);
        float[] a = layer.apply(x).data();
        float[] b = layer.apply(changed).data();
        assertThat(Arrays.copyOf(b, 16)).containsExactly(Arrays.copyOf(a, 16));
        assertThat(Arrays.copyOfRange(b, 16, 20)).isNotEqualTo(Arrays.copyOfRange(a, 16, 20));

        // Non-causal with the last two steps padded: their values do not matter to the real steps.
        MultiHeadAttention full = MultiHeadAttention.builder(4, 2, 3).build(rng);
        SequenceMask mask = SequenceMask.rightPadded(new int[] {3}, 5);
        Tensor padded = x.copy();
        Arrays.fill(padded.data(), 12, 20, -7f);
        assertThat(Arrays.copyOf(full.apply(padded, mask).data(), 12))
                .containsExactly(Arrays.copyOf(full.apply(x, mask).data(), 12));
    }

    @Test
    void dropsOutAttentionWeightsOnlyWhileTraining() {
        Rng rng = new Rng(4);
        MultiHeadAttention dropping = MultiHeadAttention.builder(4, 1, 4).dropout(0.5).build(new Rng(5));
        MultiHeadAttention plain = MultiHeadAttention.builder(4, 1, 4).build(new Rng(5));
        Tensor x = TestTensors.random(rng, 2, 6, 4);
        assertThat(dropping.apply(x).data()).isNotEqualTo(plain.apply(x).data());
        dropping.setTraining(false);
        plain.setTraining(false);
        assertThat(dropping.apply(x).data()).containsExactly(plain.apply(x).data());
    }

    @Test
    void hasKerasProjectionsAndNamesItsErrors() {
        MultiHeadAttention layer = MultiHeadAttention.builder(8, 2, 4).build(new Rng(1));
        assertThat(layer.namedParameters()).containsOnlyKeys("query/kernel", "query/bias", "key/kernel", "key/bias",
                "value/kernel", "value/bias", "attention_output/kernel", "attention_output/bias");
        assertThat(layer.namedParameters().get("query/kernel").shape()).containsExactly(8, 8);
        assertThat(layer.outputDim()).isEqualTo(8);
        assertThatThrownBy(() -> layer.apply(Tensor.zeros(2, 3, 5)))
                .hasMessage("multi_head_attention 'multi_head_attention': expected queries [batch, time, 8], "
                        + "got [2, 3, 5]");
        MultiHeadAttention causal = MultiHeadAttention.builder(8, 2, 4).causal(true).name("self").build(new Rng(1));
        assertThatThrownBy(() -> causal.apply(Tensor.zeros(2, 3, 8), Tensor.zeros(2, 4, 8), null, null))
                .hasMessage("multi_head_attention 'self': causal attention needs as many queries as keys, got 3 and 4");
        assertThatThrownBy(() -> MultiHeadAttention.builder(8, 2, 4).dropout(1.0).build(new Rng(1)))
                .hasMessage("multi_head_attention 'multi_head_attention': dropout must be in [0, 1), got 1.0");
    }
}
