package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.experiment.SpecData;
import org.embedrec.features.FeatureSpec;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code mf} preset trains through the fused matrix factorisation loss, and that changes no
 * model: on planted synthetic data, a model trained with it and one trained through the op
 * graph end with the same weights and the same per-epoch metrics, bit for bit (with and without
 * L2), and the same per-epoch training losses to within float rounding (the fused op sums the L2
 * penalty example by example, the graph value by value; without L2 they are the same bits); on
 * one thread and on two everything is the same bits; one gradient tape entry per batch instead of the
 * graph's dozens; and any other shape (a layer in the head, uniform L2, another preset) keeps the
 * graph.
 */
class FactorizationLossTest {
    private static RatingsData data;
    private static Split split;

    @BeforeAll
    static void generate() {
        data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(150, 120, 40)).data();
        split = Split.random(data.interactions(), 0.8, 11);
    }

    private static FeatureExperiment.Prepared prepare(FeatureSpec spec) {
        SpecData tables = SpecData.of(spec, Path.of(""), data);
        return FeatureExperiment.prepare(spec, data.interactions(), split, tables.items(), tables.users());
    }

    /** The preset with batches of 64 over 3 epochs, L2 {@code l2} weighted as {@code weighting}. */
    private static FeatureSpec mf(double l2, String weighting) {
        FeatureSpec spec = FeatureSpec.preset("mf");
        FeatureSpec.Training t = spec.training();
        return spec.withTraining(new FeatureSpec.Training(t.optimizer(), t.learningRate(), 64, 3, 1, l2, weighting));
    }

    /** A model trained as {@code spec} says with the fused loss on or off: its weights and history. */
    private record Trained(Map<String, Parameter> weights, History history) {}

    private static Trained train(FeatureSpec spec, boolean fused) {
        FeatureExperiment.Prepared prepared = prepare(spec);
        FeatureExperiment.Settings settings = FeatureExperiment.Settings.of(spec, 5);
        FeatureModel model = FeatureModels.build(prepared.encoder(), prepared.meanLabel(), prepared.minLabel(),
                prepared.maxLabel(), new Rng(settings.seed()));
        model.fuseFactorization(fused);
        assertThat(model.fusesFactorization()).isEqualTo(fused);
        FeatureTask task = new FeatureTask(model, prepared.train(), settings.batchSize(), settings.seed());
        Trainer trainer = new Trainer(FeatureExperiment.optimizer(model, spec, settings));
        History history = trainer.fit(task, prepared.train(), prepared.test(),
                FitConfig.of(settings.epochs(), settings.batchSize()).withSeed(settings.seed()));
        return new Trained(model.namedParameters(), history);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.3, 0.0})
    void fusedTrainingEqualsTheOpGraphBitForBit(double l2) {
        FeatureSpec spec = mf(l2, FeatureSpec.Training.SQRT_FREQUENCY);
        Trained graph = train(spec, false);
        Trained fused = train(spec, true);
        assertSameRun(fused, graph, l2 == 0.0);
    }

    @Test
    void fusedTrainingIsTheSameOnOneThreadAndOnTwo() {
        FeatureSpec spec = mf(1.3, FeatureSpec.Training.SQRT_FREQUENCY);
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            Trained one = train(spec, true);
            Parallel.setThreads(2);
            Trained two = train(spec, true);
            assertSameRun(two, one, true);
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void aBatchIsOneTapeEntry() {
        FeatureSpec spec = mf(1.3, FeatureSpec.Training.SQRT_FREQUENCY);
        FeatureExperiment.Prepared prepared = prepare(spec);
        FeatureModel model = FeatureModels.build(prepared.encoder(), prepared.meanLabel(), new Rng(2));
        FeatureTask task = new FeatureTask(model, prepared.train(), 64, 2);
        int[] order = new int[prepared.train().size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        model.setTraining(true);
        List<Integer> entries = new ArrayList<>();
        for (boolean fused : new boolean[] {true, false}) {
            model.fuseFactorization(fused);
            try (GradientTape tape = GradientTape.open()) {
                task.loss(prepared.train().batch(order, 0, 64));
                entries.add(tape.size());
            }
        }
        assertThat(entries.get(0)).isEqualTo(1);
        assertThat(entries.get(1)).isGreaterThan(10);
    }

    @Test
    void otherShapesKeepTheOpGraph() {
        assertThat(fuses(mf(1.3, FeatureSpec.Training.SQRT_FREQUENCY))).isTrue();
        assertThat(fuses(mf(1.3, FeatureSpec.Training.UNIFORM))).as("uniform L2").isFalse();
        assertThat(fuses(mf(0.0, FeatureSpec.Training.UNIFORM))).as("no L2").isTrue();
        for (String preset : List.of("dot-mlp", "ncf-mlp", "wide-deep", "two-tower")) {
            assertThat(fuses(FeatureSpec.preset(preset))).as(preset).isFalse();
        }
    }

    private static boolean fuses(FeatureSpec spec) {
        FeatureExperiment.Prepared prepared = prepare(spec);
        return FeatureModels.build(prepared.encoder(), prepared.meanLabel(), new Rng(1)).fusesFactorization();
    }

    /** The same weights and metrics, bit for bit; the same losses, to the bit when {@code exactLoss}. */
    private static void assertSameRun(Trained actual, Trained expected, boolean exactLoss) {
        assertThat(actual.weights().keySet()).containsExactlyElementsOf(expected.weights().keySet());
        expected.weights().forEach((path, p) -> assertThat(bits(actual.weights().get(path).value().data()))
                .as(path).containsExactly(bits(p.value().data())));
        List<EpochResult> a = actual.history().epochs();
        List<EpochResult> e = expected.history().epochs();
        assertThat(a).hasSameSizeAs(e);
        for (int k = 0; k < e.size(); k++) {
            if (exactLoss) {
                assertThat(Double.doubleToRawLongBits(a.get(k).loss())).as("epoch %d loss", k + 1)
                        .isEqualTo(Double.doubleToRawLongBits(e.get(k).loss()));
            } else {
                assertThat(a.get(k).loss()).as("epoch %d loss", k + 1).isCloseTo(e.get(k).loss(), withinPercentage(1e-4));
            }
            assertThat(a.get(k).validation()).as("epoch %d metrics", k + 1).isEqualTo(e.get(k).validation());
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }
}
