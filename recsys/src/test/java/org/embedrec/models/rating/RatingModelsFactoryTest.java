package org.embedrec.models.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.nn.optim.Adam;
import org.junit.jupiter.api.Test;

class RatingModelsFactoryTest {
    private static final RatingFeatureSpec SPEC = RatingFeatureSpec.of(10, 20);

    @Test
    void createsEveryModelByName() {
        assertInstanceOf(MatrixFactorization.class, create("mf"));
        assertInstanceOf(DotMlp.class, create("dot-mlp"));
        assertInstanceOf(NcfMlp.class, create("ncf-mlp"));
        assertInstanceOf(WideAndDeep.class, create("wide-deep"));
        assertInstanceOf(Adam.class, RatingModels.optimizerFor(create("mf"), RatingModelConfig.defaults("mf")));
    }

    @Test
    void hiddenLayersBeyondTheHeapAreRefusedBeforeAllocation() {
        // A saved model's description asked for 444,444,444 units (found by PresetModelFilesFuzzTest).
        for (String name : new String[] {"ncf-mlp", "dot-mlp", "wide-deep"}) {
            RatingModelConfig huge = RatingModelConfig.defaults(name).withHiddenUnits(java.util.List.of(8, 2_000_000_000));
            assertMessage("the largest is hidden layer 1 (8 x 2,000,000,000)",
                    () -> RatingModels.create(name, SPEC, huge, new Rng(1)));
        }
    }

    @Test
    void unknownModelNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create("foo"));
        assertEquals("unknown model 'foo': expected one of mf, dot-mlp, ncf-mlp, wide-deep", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RatingModelConfig.defaults("foo"));
    }

    @Test
    void configRejectsBadFieldsByName() {
        RatingModelConfig c = RatingModelConfig.defaults("mf");
        assertMessage("embeddingDim", () -> c.withEmbeddingDim(0));
        assertMessage("learningRate", () -> c.withLearningRate(-1f));
        assertMessage("l2", () -> c.withL2(Float.NaN));
        assertMessage("dropout", () -> c.withDropout(1f));
        assertMessage("unknown optimizer 'adamax'", () -> c.withOptimizer("adamax"));
        assertMessage("hiddenUnits[1]", () -> c.withHiddenUnits(List.of(4, 0)));
        assertMessage("pretrainEpochs", () -> c.withPretrainEpochs(-1));
    }

    @Test
    void specAndExamplesRejectBadInputWithItsPosition() {
        assertMessage("cross 'x' names column 'genres'",
                () -> new RatingFeatureSpec(3, 3, List.of(), List.of(),
                        List.of(new RatingFeatureSpec.Cross("x", "user", "genres", 8))));
        assertMessage("'occupation' is used twice",
                () -> SPEC.withCategorical("occupation", 2).withCategorical("occupation", 3));
        assertMessage("column 'item' at position 1 holds id 20",
                () -> RatingExamples.of(SPEC, new int[] {0, 1}, new int[] {3, 20}, new float[] {1, 2}));
        assertMessage("rating at position 0",
                () -> RatingExamples.of(SPEC, new int[] {0}, new int[] {3}, new float[] {Float.NaN}));
        RatingFeatureSpec withGenres = SPEC.withMultiValued("genres", 4, 2);
        assertMessage("missing [genres]",
                () -> RatingExamples.of(withGenres, new int[] {0}, new int[] {3}, new float[] {1}));
        assertMessage("expected 2 per example",
                () -> new RatingExamples(withGenres, new int[] {0}, new int[] {3}, new float[] {1}, Map.of(),
                        Map.of("genres", new int[] {1})));
    }

    private static RatingModel create(String name) {
        return RatingModels.create(name, SPEC, RatingModelConfig.defaults(name.equals("foo") ? "mf" : name), new Rng(1));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(part), x.getMessage());
    }
}
