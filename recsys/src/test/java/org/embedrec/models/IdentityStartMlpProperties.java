package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Sequential;

/** {@link IdentityStartMlp}: a relu stack that starts as {@code f(s) = s}. */
class IdentityStartMlpProperties {

    @Property(tries = 300)
    void anIdentityStartReturnsItsInputInsideAndOutsideTheKinks(
            @ForAll @Size(max = 3) List<@IntRange(min = 2, max = 70) Integer> hidden,
            @ForAll @FloatRange(min = -8f, max = 8f) float s,
            @ForAll @FloatRange(min = 0.1f, max = 4f) float spread) {
        Sequential head = IdentityStartMlp.build("head", hidden, spread, new Rng(1));
        float out = head.apply(Tensor.of(new float[] {s}, 1, 1)).item();
        assertThat(out).isCloseTo(s, within(1e-5f * (1 + Math.abs(s) + spread) * (1 + hidden.size())));
    }

    @Example
    void kinksAreDistinctAndSymmetricSoEveryPairCanLearnItsOwnBend() {
        Sequential head = IdentityStartMlp.build("head", List.of(8), 2f, new Rng(1));
        Dense hidden = (Dense) head.children().get(0);
        float[] bias = hidden.bias().orElseThrow().value().data();
        // Pair k is relu(s - t_k), relu(t_k - s): biases -t_k, +t_k with t = -1.5, -0.5, 0.5, 1.5.
        assertThat(bias).containsExactly(new float[] {1.5f, -1.5f, 0.5f, -0.5f, -0.5f, 0.5f, -1.5f, 1.5f},
                within(1e-6f));
        assertThat(hidden.kernel().value().data()).containsExactly(1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f);
    }

    @Example
    void aHiddenLayerTooNarrowForAPairIsRejectedByPosition() {
        assertThatThrownBy(() -> IdentityStartMlp.build("head", List.of(16, 1), 2f, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("head: hidden layer 1 has 1 unit(s)")
                .hasMessageContaining("at least 2");
    }
}
