package org.embedrec.models.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

class DotMlpTest {
    private static final RatingFeatureSpec SPEC = RatingFeatureSpec.of(4, 5);
    private static final int DIM = 3;

    private static RatingBatch batch() {
        return RatingExamples.of(SPEC, new int[] {0, 1, 2, 3, 0, 2}, new int[] {0, 1, 2, 3, 4, 4},
                new float[] {4, 3, 5, 2, 1, 4}).all();
    }

    @Test
    void beforeTrainingItIsBiasedMatrixFactorization() {
        DotMlp model = new DotMlp(SPEC, DIM, List.of(64), 0.5f, 0f, new Rng(5));
        model.setTraining(false);
        model.setGlobalBias(3.5f);
        Map<String, Parameter> params = model.namedParameters();
        // Biases start at zero; give them values so the sum is checked term by term.
        Rng rng = new Rng(6);
        float[] bu = fill(params.get("user_bias/embeddings"), rng);
        float[] bi = fill(params.get("item_bias/embeddings"), rng);
        float[] p = params.get("user_embedding/embeddings").value().data();
        float[] q = params.get("item_embedding/embeddings").value().data();
        RatingBatch b = batch();
        float[] predicted = model.predict(b).data();
        for (int k = 0; k < b.size(); k++) {
            int u = b.users()[k];
            int i = b.items()[k];
            double dot = 0;
            for (int d = 0; d < DIM; d++) {
                dot += p[u * DIM + d] * q[i * DIM + d];
            }
            assertEquals(3.5 + bu[u] + bi[i] + dot, predicted[k], 1e-5, "example " + k);
        }
    }

    @Test
    void gradientsIncludingPenaltyAgreeWithFiniteDifferences() {
        // No dropout: a finite difference needs the same function on every evaluation.
        DotMlp model = new DotMlp(SPEC, DIM, List.of(8, 4), 0f, 0.3f, new Rng(7));
        Rng rng = new Rng(8);
        for (String name : List.of("user_embedding/embeddings", "item_embedding/embeddings")) {
            // |affinity| <= 3 * 0.25^2 < 0.19: clear of every kink (+-0.5, +-1.5, then +-1).
            float[] v = model.namedParameters().get(name).value().data();
            for (int j = 0; j < v.length; j++) {
                v[j] = rng.uniform(-0.25f, 0.25f);
            }
        }
        List<Tensor> inputs = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            inputs.add(p.value());
        }
        RatingTask task = RatingTask.regression(model);
        RatingBatch b = batch();
        new GradientCheck().check(xs -> task.loss(b), inputs, 9L);
    }

    @Test
    void dropoutNoisesTheAffinityWhileTrainingOnly() {
        DotMlp model = new DotMlp(SPEC, DIM, List.of(64), 0.5f, 0f, new Rng(5));
        model.setTraining(false);
        RatingBatch b = batch();
        float[] inference = model.predict(b).data().clone();
        assertArrayEquals(inference, model.predict(b).data());
        model.setTraining(true);
        float[] training = model.predict(b).data();
        model.setTraining(false);
        assertFalse(java.util.Arrays.equals(inference, training), "dropout changed no prediction");
    }

    private static float[] fill(Parameter p, Rng rng) {
        float[] v = p.value().data();
        for (int j = 0; j < v.length; j++) {
            v[j] = rng.uniform(-1f, 1f);
        }
        return v;
    }
}
