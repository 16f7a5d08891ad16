package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/** The rating head: concatenation, optional DCN-v2 crosses, dense layers, one output per row. */
class RatingHeadTest {

    @Test
    void theOutputStartsAtTheMeanLabelWhenTheLastLayerSeesZeros() {
        RatingHead head = new RatingHead(4, List.of(3), 3.5f, new Rng(1));
        Tensor zeros = Tensor.zeros(2, 2);
        // relu(0 . W + 0) = 0, so the output is the initial bias.
        assertThat(head.predict(zeros, zeros).data()).containsExactly(3.5f, 3.5f);
    }

    @Test
    void crossLayersAddTheirParametersUnderTheHead() {
        RatingHead full = new RatingHead(4, 2, 0, List.of(8), 0f, new Rng(1));
        RatingHead lowRank = new RatingHead(4, 2, 2, List.of(8), 0f, new Rng(1));
        assertThat(full.namedParameters()).containsKey("cross_network/cross/dense/kernel");
        // Two full-rank 4x4 crosses with biases; two rank-2 crosses (4x2 + 2x4 + 4).
        long dense = 4 * 8 + 8 + 8 + 1;
        assertThat(full.parameterCount()).isEqualTo(2 * (16 + 4) + dense);
        assertThat(lowRank.parameterCount()).isEqualTo(2 * (8 + 8 + 4) + dense);
    }

    @Test
    void dropoutActsInTrainingOnlyAndAddsNoParameters() {
        RatingHead head = new RatingHead(4, 1, 0, List.of(8), 0.5, 0f, new Rng(3));
        assertThat(head.parameterCount()).isEqualTo(new RatingHead(4, 1, 0, List.of(8), 0f, new Rng(3)).parameterCount());
        Tensor q = Tensor.full(0.5f, 3, 2);
        head.setTraining(false);
        float[] first = head.predict(q, q).data();
        assertThat(head.predict(q, q).data()).containsExactly(first);
        head.setTraining(true);
        assertThat(head.predict(q, q).data()).isNotEqualTo(first);
    }

    @Test
    void aDotHeadWithoutLayersIsTheDotProductPlusTheMeanHeldFixed() {
        RatingHead head = RatingHead.dot(2, List.of(), 0.0, 3.5f, new Rng(1));
        Tensor q = Tensor.of(new float[] {1f, 2f, -1f, 0.5f}, 2, 2);
        Tensor c = Tensor.of(new float[] {0.5f, 0.25f, 2f, 4f}, 2, 2);
        assertThat(head.predict(q, c).data()).containsExactly(3.5f + 1f, 3.5f + 0f);
        assertThat(head.parameterCount()).isEqualTo(1);
        assertThat(head.outputBias().item()).isEqualTo(3.5f);
        // apply() reads the concatenation [q ; c] as its two halves.
        assertThat(head.apply(org.embedrec.engine.Ops.concat(-1, q, c)).data()).containsExactly(4.5f, 3.5f);
        Tensor trained = q.requiresGrad(true);
        try (org.embedrec.engine.GradientTape tape = org.embedrec.engine.GradientTape.open()) {
            tape.backward(org.embedrec.engine.Ops.sum(head.predict(trained, c)));
        }
        assertThat(head.parameters().get(0).hasGradient()).as("the mean is held fixed").isFalse();
    }

    @Test
    void aDotHeadWithLayersStartsAsTheDotProductPlusTheMeanAndDropsItsInputsInTrainingOnly() {
        RatingHead head = RatingHead.dot(2, List.of(8, 4), 0.5, 3.5f, new Rng(1));
        Tensor q = Tensor.of(new float[] {1f, 2f, -1f, 0.5f}, 2, 2);
        Tensor c = Tensor.of(new float[] {0.5f, 0.25f, 2f, 4f}, 2, 2);
        head.setTraining(false);
        assertThat(head.predict(q, c).data()).containsExactly(new float[] {4.5f, 3.5f}, within(1e-5f));
        head.setTraining(true);
        assertThat(head.predict(q, c).data()).isNotEqualTo(new float[] {4.5f, 3.5f});
        assertThatThrownBy(() -> RatingHead.dot(2, List.of(1), 0.0, 0f, new Rng(1)))
                .hasMessageContaining("at least 2");
    }

    @Test
    void aConcatHeadDropsEachTowersOutputInTrainingOnly() {
        RatingHead head = RatingHead.concat(2, 3, 0, 0, List.of(4), 0.5, 0.0, 0f, new Rng(2));
        Tensor q = Tensor.full(0.5f, 3, 2);
        Tensor c = Tensor.full(0.5f, 3, 3);
        head.setTraining(false);
        float[] first = head.predict(q, c).data();
        assertThat(head.predict(q, c).data()).containsExactly(first);
        head.setTraining(true);
        assertThat(head.predict(q, c).data()).isNotEqualTo(first);
        assertThatThrownBy(() -> head.predict(c, q)).hasMessageContaining("expected 2 and 3");
    }

    @Property(tries = 10)
    void aDotHeadsFiniteDifferencesAgree(@ForAll @IntRange(min = 0, max = 1) int layers, @ForAll long seed) {
        Rng rng = new Rng(seed);
        RatingHead head = RatingHead.dot(3, layers == 0 ? List.of() : List.of(4), 0.0, 1f, rng);
        // The identity start's kinks sit at -1 and 1 (spread 2, two pairs): a relu switching within eps
        // of a kink would make finite differences disagree by chance, so |q . c| <= 3 * 0.5 * 0.5 here.
        Tensor q = Tensor.wrap(scaled(uniform(rng, 3, 3).data(), 0.5f), 3, 3).requiresGrad(true);
        Tensor c = Tensor.wrap(scaled(uniform(rng, 3, 3).data(), 0.5f), 3, 3).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(q, c));
        if (layers > 0) {
            // Without layers the head's one parameter, the mean, is held fixed.
            for (Parameter p : head.parameters()) {
                inputs.add(p.value());
            }
        }
        new GradientCheck().check(in -> head.predict(in.get(0), in.get(1)), inputs, seed);
    }

    @Property(tries = 10)
    void finiteDifferencesAgree(@ForAll @IntRange(min = 0, max = 2) int crossLayers,
                                @ForAll @IntRange(min = 0, max = 2) int rank, @ForAll long seed) {
        Rng rng = new Rng(seed);
        // No hidden layers: a relu's kink within eps of a pre-activation would make finite
        // differences disagree by chance (Dense's relu is checked in nn).
        RatingHead head = new RatingHead(5, crossLayers, rank, List.of(), 1f, rng);
        Tensor q = uniform(rng, 3, 2).requiresGrad(true);
        Tensor c = uniform(rng, 3, 3).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(q, c));
        for (Parameter p : head.parameters()) {
            inputs.add(p.value());
        }
        new GradientCheck().check(in -> head.predict(in.get(0), in.get(1)), inputs, seed);
    }

    private static Tensor uniform(Rng rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.uniform(-1f, 1f);
        }
        return Tensor.wrap(v, rows, cols);
    }

    private static float[] scaled(float[] v, float by) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= by;
        }
        return v;
    }
}
