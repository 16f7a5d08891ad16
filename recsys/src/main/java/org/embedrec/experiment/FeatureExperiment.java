package org.embedrec.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.engine.Rng;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.features.TowerInput;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.FeatureTask;
import org.embedrec.models.HeapBudget;
import org.embedrec.nn.optim.Optimizers;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.Trainer;

/**
 * A model trained from a feature spec, in the four steps a user runs by hand in a TensorFlow
 * Recommenders notebook: {@link #prepare} (adapt the preprocessing on the training rows only,
 * encode every row once), {@link #fit} (the {@link Trainer} on a {@link FeatureTask}),
 * {@link #evaluate} (the model's metrics on the held-out rows) and {@link #report} (history,
 * metrics, timing and provenance in one value). The CLI only calls these.
 */
public final class FeatureExperiment {
    private FeatureExperiment() {
    }

    /** Training settings: the spec's {@code training} section, overridable one by one. */
    public record Settings(String optimizer, double learningRate, int batchSize, int epochs, int validationFreq,
                           long seed) {
        public Settings {
            Objects.requireNonNull(optimizer, "optimizer");
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
            }
            atLeastOne("batchSize", batchSize);
            atLeastOne("epochs", epochs);
            atLeastOne("validationFreq", validationFreq);
        }

        private static void atLeastOne(String field, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1, got " + value);
            }
        }

        public static Settings of(FeatureSpec spec, long seed) {
            FeatureSpec.Training t = spec.training();
            return new Settings(t.optimizer(), t.learningRate(), t.batchSize(), t.epochs(), t.validationFreq(), seed);
        }

        public Settings withEpochs(int value) {
            return new Settings(optimizer, learningRate, batchSize, value, validationFreq, seed);
        }

        public Settings withLearningRate(double value) {
            return new Settings(optimizer, value, batchSize, epochs, validationFreq, seed);
        }

        public Settings withBatchSize(int value) {
            return new Settings(optimizer, learningRate, value, epochs, validationFreq, seed);
        }

        public Settings withOptimizer(String value) {
            return new Settings(value, learningRate, batchSize, epochs, validationFreq, seed);
        }
    }

    /**
     * The encoded data: the adapted encoder, training and held-out rows over one encoded
     * catalogue, whose item ids are {@code catalogueIds} (see {@link FeatureSource#catalogueIds}).
     */
    public record Prepared(FeatureSpec spec, FeatureEncoder encoder, FeatureExamples train, FeatureExamples test,
                           List<String> catalogueIds, float meanLabel, double seconds) {}

    /** A trained model with its training history. */
    public record Fitted(Prepared data, FeatureModel model, History history, Settings settings, double seconds) {}

    /**
     * What a run gives: the training history, the held-out metrics, seconds per step, and how it
     * was made (spec, settings, row counts).
     */
    public record Report(History history, Map<String, Double> metrics, Map<String, Double> timing,
                         Map<String, Object> provenance) {}

    /**
     * Adapts {@code spec}'s preprocessing on {@code split.train()} only and encodes both sides of
     * the split; {@code all} is every row (its items are the catalogue, whose candidate features
     * are encoded once), {@code items} and {@code users} optional side tables.
     */
    public static Prepared prepare(FeatureSpec spec, Interactions all, Split split, AttributeTable items,
                                   AttributeTable users) {
        long start = System.nanoTime();
        FeatureSource source = FeatureSource.of(spec, all, items, users);
        FeatureEncoder encoder = FeatureEncoder.adapt(source, split.train());
        EncodedFeatures catalogue = encoder.encodeCandidates(source);
        FeatureExamples train = FeatureExamples.of(encoder, source, split.train(), catalogue);
        FeatureExamples test = FeatureExamples.of(encoder, source, split.test(), catalogue);
        float mean = 0f;
        if (train.labels() != null && train.size() > 0) {
            double s = 0;
            for (float v : train.labels()) {
                s += v;
            }
            mean = (float) (s / train.size());
        }
        return new Prepared(spec, encoder, train, test, source.catalogueIds(), mean, seconds(start));
    }

    /** Builds the spec's model and trains it on the prepared training rows, validating on the held-out rows. */
    public static Fitted fit(Prepared data, Settings settings, Callback... callbacks) {
        return fit(data, settings, Checkpointing.none(), callbacks);
    }

    /** As {@link #fit(Prepared, Settings, Callback...)}, saving and resuming as {@code checkpointing} says. */
    public static Fitted fit(Prepared data, Settings settings, Checkpointing checkpointing, Callback... callbacks) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(settings, "settings");
        checkFitsTheHeap(data, settings, Runtime.getRuntime().maxMemory());
        long start = System.nanoTime();
        FeatureModel model = FeatureModels.build(data.encoder(), data.meanLabel(), new Rng(settings.seed()));
        FeatureTask task = new FeatureTask(model, data.train(), settings.batchSize(), settings.seed());
        Trainer trainer = new Trainer(Optimizers.create(settings.optimizer(), settings.learningRate()));
        FitConfig config = FitConfig.of(settings.epochs(), settings.batchSize())
                .withSeed(settings.seed())
                .withValidationFreq(settings.validationFreq());
        History history = trainer.fit(task, data.train(), data.test().size() > 0 ? data.test() : null, config,
                checkpointing, callbacks);
        return new Fitted(data, model, history, settings, seconds(start));
    }

    /**
     * Refuses, before anything is allocated, embedding tables that would not fit the heap:
     * weights plus the optimizer's slots (two per weight for the Adam family, one otherwise)
     * against {@code maxHeap} bytes, with the largest table named.
     */
    static void checkFitsTheHeap(Prepared data, Settings settings, long maxHeap) {
        List<HeapBudget.Table> tables = new ArrayList<>();
        for (String tower : List.of(FeatureDefinition.QUERY, FeatureDefinition.CANDIDATE)) {
            for (TowerInput in : data.encoder().towerInputs(tower)) {
                tables.add(new HeapBudget.Table(in.name(), in.vocabularySize(), in.embeddingDim()));
            }
        }
        HeapBudget.requireFits(tables, settings.optimizer(), maxHeap,
                "Lower its embedding_dim, max_tokens or hash_bins");
    }

    /** The model's metrics on the held-out rows. */
    public static Map<String, Double> evaluate(Fitted fitted) {
        return fitted.model().metrics(fitted.data().test());
    }

    /** History, held-out metrics, timing and provenance of a fitted run. */
    public static Report report(Fitted fitted) {
        long start = System.nanoTime();
        Map<String, Double> metrics = evaluate(fitted);
        double evaluateSeconds = seconds(start);
        Map<String, Double> timing = new LinkedHashMap<>();
        timing.put("prepare_seconds", fitted.data().seconds());
        timing.put("fit_seconds", fitted.seconds());
        timing.put("median_epoch_seconds", fitted.history().medianEpochSeconds());
        timing.put("examples_per_second", fitted.history().examplesPerSecond());
        timing.put("evaluate_seconds", evaluateSeconds);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("model", fitted.model().getClass().getSimpleName());
        provenance.put("parameters", fitted.model().parameterCount());
        provenance.put("train_rows", fitted.data().train().size());
        provenance.put("test_rows", fitted.data().test().size());
        provenance.put("catalogue_items", fitted.data().train().catalogue().size());
        provenance.put("settings", fitted.settings());
        provenance.put("spec", fitted.data().spec().toJsonString());
        return new Report(fitted.history(), metrics, timing, provenance);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
