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
 * The fused layer normalization: finite-difference gradients over random shapes; the values and
 * gradients of the same normalization written with the basic ops; a hand-computed row; one result
 * on one and two threads; errors naming the shapes.
 */
class NormalizationOpsTest {
    private final GradientCheck check = new GradientCheck();
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Property(tries = 40)
    void gradientsMatchFiniteDifferences(@ForAll @IntRange(min = 1, max = 4) int rows,
                                         @ForAll @IntRange(min = 2, max = 6) int d, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, rows, d);
        // A ramp of step 2.5 along each row keeps values 0.5 apart: a nearly constant row curves
        // too sharply for a finite difference.
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] += 2.5f * ((i % d) - (d - 1) / 2f);
        }
        Tensor gamma = RandomTensors.uniform(rng, 0.5f, 1.5f, d);
        Tensor beta = RandomTensors.uniform(rng, d);
        check.check(t -> Ops.layerNorm(t.get(0), t.get(1), t.get(2), 1e-3f), List.of(x, gamma, beta), seed);
    }

    @Property(tries = 40)
    void equalsTheNormalizationWrittenWithTheBasicOps(@ForAll @IntRange(min = 1, max = 40) int rows,
                                                      @ForAll @IntRange(min = 1, max = 70) int d,
                                                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        Tensor x = RandomTensors.uniform(rng, -3f, 5f, rows, d);
        Tensor gamma = RandomTensors.uniform(rng, 0.5f, 1.5f, d);
        Tensor beta = RandomTensors.uniform(rng, d);
        Tensor weights = RandomTensors.uniform(rng, rows, d).requiresGrad(false);
        List<Tensor> inputs = List.of(x, gamma, beta);
        List<float[]> fused = AttentionOpsTest.valueAndGradients(t -> Ops.layerNorm(t.get(0), t.get(1), t.get(2),
                1e-5f), inputs, weights);
        List<float[]> reference = AttentionOpsTest.valueAndGradients(t -> {
            Tensor centered = Ops.sub(t.get(0), Ops.mean(t.get(0), -1, true));
            Tensor std = Ops.sqrt(Ops.addScalar(Ops.mean(Ops.square(centered), -1, true), 1e-5f));
            return Ops.add(Ops.mul(Ops.div(centered, std), t.get(1)), t.get(2));
        }, inputs, weights);
        for (int i = 0; i < fused.size(); i++) {
            assertThat(fused.get(i)).as("array %d", i).containsExactly(reference.get(i), within(2e-4f));
        }
    }

    @Test
    void normalizesAHandComputedRow() {
        // Mean 2, biased variance 2/3; gamma 2, beta 1.
        Tensor y = Ops.layerNorm(Tensor.of(new float[] {1, 2, 3}, 1, 3), Tensor.full(2f, 3), Tensor.full(1f, 3),
                1e-3f);
        double s = Math.sqrt(2.0 / 3.0 + 1e-3);
        assertThat(y.data()).containsExactly(new float[] {(float) (1 - 2 / s), 1f, (float) (1 + 2 / s)},
                within(1e-6f));
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
        Rng rng = new Rng(8);
        Tensor x = RandomTensors.uniform(rng, 3000, 50);
        Tensor gamma = RandomTensors.uniform(rng, 50);
        Tensor beta = RandomTensors.uniform(rng, 50);
        Tensor weights = RandomTensors.uniform(rng, 3000, 50).requiresGrad(false);
        return AttentionOpsTest.valueAndGradients(t -> Ops.layerNorm(t.get(0), t.get(1), t.get(2), 1e-8f),
                List.of(x, gamma, beta), weights);
    }

    @Test
    void namesTheShapesThatDoNotFit() {
        assertThatThrownBy(() -> Ops.layerNorm(Tensor.zeros(2, 3), Tensor.zeros(4), Tensor.zeros(3), 1e-3f))
                .hasMessage("layerNorm: input [2, 3], gamma [4], beta [3]: expected [rows, d], [d] and [d]");
        assertThatThrownBy(() -> Ops.layerNorm(Tensor.zeros(2, 3), Tensor.zeros(3), Tensor.zeros(3), 0f))
                .hasMessage("layerNorm: epsilon must be positive and finite, got 0.0");
    }
}
