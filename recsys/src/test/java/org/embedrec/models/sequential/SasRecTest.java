package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * SASRec's packed path ({@link SasRec#encodeReal}, what training and ranking run) against its
 * padded definition ({@link SasRec#encode}): the same states at every real step and the same
 * gradients for every parameter, on histories of mixed lengths; and a history reads the same
 * alone as beside a longer one.
 */
class SasRecTest {
    private static final int ITEMS = 25;
    private static final int MAX_LENGTH = 12;

    @Test
    void thePackedRealStepsEqualThePaddedDefinitionInValuesAndGradients() {
        SasRec model = new SasRec(ITEMS, 8, 2, 2, MAX_LENGTH, 0.0, new Rng(3));
        model.setTraining(true);
        Rng rng = new Rng(11);
        int[] lengths = {1, 7, 3, 10, 2};
        int[][] histories = new int[lengths.length][];
        for (int s = 0; s < lengths.length; s++) {
            histories[s] = new int[lengths[s]];
            for (int i = 0; i < lengths[s]; i++) {
                histories[s][i] = rng.nextInt(ITEMS);
            }
        }
        SequenceBatch batch = SequenceBatch.of(histories, 10, null, null);
        int[] real = batch.realPositions();
        Tensor weights = Tensor.zeros(real.length, 8);
        for (int i = 0; i < weights.size(); i++) {
            weights.data()[i] = rng.uniform(-1f, 1f);
        }

        List<float[]> packed = valueAndGradients(model, () -> model.encodeReal(batch), weights);
        List<float[]> padded = valueAndGradients(model,
                () -> Ops.gatherRows(Ops.reshape(model.encode(batch), batch.batch() * batch.time(), 8), real), weights);

        assertThat(packed.get(0)).as("states").containsExactly(padded.get(0), within(1e-5f));
        List<Parameter> parameters = model.parameters();
        for (int i = 1; i < packed.size(); i++) {
            assertThat(packed.get(i)).as("gradient of %s", parameters.get(i - 1).name())
                    .containsExactly(padded.get(i), within(1e-4f));
        }
        assertThat(packed.get(0)).as("states are not all zero").isNotEqualTo(new float[packed.get(0).length]);
    }

    @Test
    void aHistoryReadsTheSameAloneAsBesideALongerOne() {
        SasRec model = new SasRec(ITEMS, 8, 2, 1, MAX_LENGTH, 0.2, new Rng(5));
        model.setTraining(false);
        int[] shortOne = {4, 9, 2};
        int[] longOne = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        float[] alone = model.lastStates(new int[][] {shortOne}).data();
        float[] beside = model.lastStates(new int[][] {longOne, shortOne}).data();
        assertThat(java.util.Arrays.copyOfRange(beside, 8, 16)).containsExactly(alone, within(1e-6f));
    }

    /** The output of {@code f}, then the gradient of {@code sum(output * weights)} for each parameter. */
    private static List<float[]> valueAndGradients(SasRec model, java.util.function.Supplier<Tensor> f,
                                                   Tensor weights) {
        for (Parameter p : model.parameters()) {
            p.zeroGrad();
        }
        Tensor out;
        try (GradientTape tape = GradientTape.open()) {
            out = f.get();
            tape.backward(Ops.sum(Ops.mul(out, weights)));
        }
        List<float[]> result = new ArrayList<>();
        result.add(out.data().clone());
        for (Parameter p : model.parameters()) {
            result.add(p.value().grad() == null ? new float[p.size()] : p.value().grad().clone());
        }
        return result;
    }
}
