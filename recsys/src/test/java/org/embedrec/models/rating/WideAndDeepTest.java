package org.embedrec.models.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.optim.Ftrl;
import org.embedrec.nn.optim.MultiOptimizer;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.Trainer;
import org.junit.jupiter.api.Test;

class WideAndDeepTest {
    private static final RatingFeatureSpec SPEC = RatingFeatureSpec.of(6, 5)
            .withCategorical("occupation", 3)
            .withMultiValued("genres", 4, 2)
            .withCross(RatingFeatureSpec.USER, "genres", 16)
            .withCross("occupation", RatingFeatureSpec.ITEM, 8);

    private static RatingExamples tiny() {
        int[] users = {0, 1, 2, 3, 4, 5, 0, 2};
        int[] items = {0, 1, 2, 3, 4, 0, 3, 1};
        float[] ratings = {4, 3, 5, 2, 1, 4, 3, 5};
        int[] occupation = {0, 1, 2, 0, 1, 2, 0, 2};
        int[] genres = {0, 1, 2, -1, 3, 0, -1, -1, 1, 2, 0, 1, 3, -1, 2, 3};
        return new RatingExamples(SPEC, users, items, ratings, Map.of("occupation", occupation),
                Map.of("genres", genres));
    }

    private static WideAndDeep model() {
        return new WideAndDeep(SPEC, 3, List.of(4), 0f, new Rng(5));
    }

    @Test
    void wideAndDeepParametersSplitTheModel() {
        WideAndDeep wd = model();
        List<Parameter> both = new ArrayList<>(wd.wideParameters());
        both.addAll(wd.deepParameters());
        assertEquals(new HashSet<>(wd.parameters()), new HashSet<>(both));
        assertEquals(wd.parameters().size(), both.size());
        for (Parameter p : wd.wideParameters()) {
            assertTrue(p.isSparse() || p.size() == 1, p.toString());
        }
    }

    @Test
    void gradientsAgreeWithFiniteDifferences() {
        WideAndDeep wd = model();
        // Wide weights start at zero and deep embeddings tiny; give every parameter values of
        // order 1 so every path carries signal and relu inputs sit far from the kink.
        Rng rng = new Rng(9);
        for (Parameter p : wd.parameters()) {
            float[] v = p.value().data();
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.uniform(-1f, 1f);
            }
        }
        RatingBatch batch = tiny().all();
        List<Tensor> inputs = new ArrayList<>();
        for (Parameter p : wd.parameters()) {
            inputs.add(p.value());
        }
        new GradientCheck().check(xs -> wd.predict(batch), inputs, 17L);
    }

    @Test
    void matrixFactorizationGradientsIncludingPenaltyAgreeWithFiniteDifferences() {
        MatrixFactorization mf = new MatrixFactorization(SPEC, 3, 0.3f, 0.5f, new Rng(2));
        RatingBatch batch = tiny().all();
        List<Tensor> inputs = new ArrayList<>();
        for (Parameter p : mf.parameters()) {
            inputs.add(p.value());
        }
        RatingTask task = RatingTask.regression(mf);
        new GradientCheck().check(xs -> task.loss(batch), inputs, 3L);
    }

    @Test
    void eachOptimizerUpdatesOnlyItsOwnPart() {
        WideAndDeep wd = model();
        RatingModelConfig config = RatingModelConfig.defaults("wide-deep");
        MultiOptimizer optimizer = (MultiOptimizer) RatingModels.optimizerFor(wd, config);
        Ftrl ftrl = assertInstanceOf(Ftrl.class, optimizer.optimizer(0));
        Adam adam = assertInstanceOf(Adam.class, optimizer.optimizer(1));
        RatingTask task = RatingTask.regression(wd);
        RatingExamples data = tiny();
        task.adapt(data);
        Trainer trainer = new Trainer(optimizer);
        FitConfig fit = FitConfig.of(1, 4);

        float[][] wide0 = snapshot(wd.wideParameters());
        float[][] deep0 = snapshot(wd.deepParameters());
        trainer.fit(task.withModel(wd.wideOnly()), data, fit);
        assertTrue(ftrl.iterations() > 0);
        assertEquals(0, adam.iterations());
        assertFalse(same(wide0, snapshot(wd.wideParameters())), "FTRL moved the wide part");
        assertTrue(same(deep0, snapshot(wd.deepParameters())), "the deep part stayed");

        float[][] wide1 = snapshot(wd.wideParameters());
        long ftrlSteps = ftrl.iterations();
        trainer.fit(task.withModel(wd.deepOverWide()), data, fit);
        assertEquals(ftrlSteps, ftrl.iterations());
        assertTrue(adam.iterations() > 0);
        assertTrue(same(wide1, snapshot(wd.wideParameters())), "the wide part stayed");
        assertFalse(same(deep0, snapshot(wd.deepParameters())), "Adam moved the deep part");

        float[][] wide2 = snapshot(wd.wideParameters());
        float[][] deep2 = snapshot(wd.deepParameters());
        trainer.fit(task, data, fit);
        assertFalse(same(wide2, snapshot(wd.wideParameters())));
        assertFalse(same(deep2, snapshot(wd.deepParameters())));
    }

    @Test
    void paddedGenresDoNotChangeThePrediction() {
        WideAndDeep wd = model();
        wd.setGlobalBias(3f);
        for (Parameter p : wd.wideParameters()) {
            java.util.Arrays.fill(p.value().data(), 0.25f);
        }
        RatingFeatureSpec spec = SPEC;
        RatingExamples a = new RatingExamples(spec, new int[] {1}, new int[] {2}, new float[] {3},
                Map.of("occupation", new int[] {1}), Map.of("genres", new int[] {2, -1}));
        RatingExamples b = new RatingExamples(spec, new int[] {1}, new int[] {2}, new float[] {3},
                Map.of("occupation", new int[] {1}), Map.of("genres", new int[] {-1, 2}));
        assertArrayEquals(wd.predict(a), wd.predict(b), 1e-6f);
        // bias + user + item + occupation + one genre + user x genre + occupation x item
        RatingModel wide = wd.wideOnly();
        assertEquals(3f + 7 * 0.25f, wide.predict(a)[0], 1e-6f);
    }

    @Test
    void theDeepPartPoolsGenresAsTheMeanOfTheNonPaddedOnes() {
        WideAndDeep wd = model();
        // The wide part starts at zero, so predictions are the deep part's. Make genre 0's
        // embedding the mean of genres 1 and 3's: {1, 3} and {0, pad} then pool to one vector.
        Parameter genres = wd.deepPart().namedParameters().get("genres/embeddings");
        float[] table = genres.value().data();
        int dim = genres.value().dim(1);
        Rng rng = new Rng(21);
        for (int i = 0; i < table.length; i++) {
            table[i] = rng.uniform(-1f, 1f);
        }
        for (int j = 0; j < dim; j++) {
            table[j] = (table[dim + j] + table[3 * dim + j]) / 2;
        }
        RatingExamples twoGenres = new RatingExamples(SPEC, new int[] {1}, new int[] {2}, new float[] {3},
                Map.of("occupation", new int[] {1}), Map.of("genres", new int[] {1, 3}));
        RatingExamples theirMean = new RatingExamples(SPEC, new int[] {1}, new int[] {2}, new float[] {3},
                Map.of("occupation", new int[] {1}), Map.of("genres", new int[] {0, -1}));
        RatingExamples other = new RatingExamples(SPEC, new int[] {1}, new int[] {2}, new float[] {3},
                Map.of("occupation", new int[] {1}), Map.of("genres", new int[] {1, -1}));
        assertEquals(wd.predict(twoGenres)[0], wd.predict(theirMean)[0], 1e-5f);
        assertTrue(Math.abs(wd.predict(twoGenres)[0] - wd.predict(other)[0]) > 1e-4f,
                "a different bag of genres changes the prediction");
    }

    private static float[][] snapshot(List<Parameter> params) {
        float[][] s = new float[params.size()][];
        for (int i = 0; i < s.length; i++) {
            s[i] = params.get(i).value().data().clone();
        }
        return s;
    }

    private static boolean same(float[][] a, float[][] b) {
        for (int i = 0; i < a.length; i++) {
            if (!java.util.Arrays.equals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }
}
