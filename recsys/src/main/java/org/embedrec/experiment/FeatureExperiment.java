package org.embedrec.experiment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
import org.embedrec.models.FeatureBatch;
import org.embedrec.models.FeatureExamples;
import org.embedrec.models.FeatureModel;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.FeatureTask;
import org.embedrec.models.HeapBudget;
import org.embedrec.models.SparseLinear;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.optim.MultiOptimizer;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.optim.Optimizers;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpoint;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.PartTask;
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
     * catalogue, whose item ids are {@code catalogueIds} (see {@link FeatureSource#catalogueIds});
     * the training labels' mean and range (0 when the rows have no labels).
     */
    public record Prepared(FeatureSpec spec, FeatureEncoder encoder, FeatureExamples train, FeatureExamples test,
                           List<String> catalogueIds, float meanLabel, float minLabel, float maxLabel,
                           double seconds) {}

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
        float min = 0f;
        float max = 0f;
        if (train.labels() != null && train.size() > 0) {
            double s = 0;
            min = Float.POSITIVE_INFINITY;
            max = Float.NEGATIVE_INFINITY;
            for (float v : train.labels()) {
                s += v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            mean = (float) (s / train.size());
        }
        return new Prepared(spec, encoder, train, test, source.catalogueIds(), mean, min, max, seconds(start));
    }

    /**
     * Builds the spec's model and trains it on the prepared training rows, validating on the
     * held-out rows. A wide part with {@code pretrain_epochs} is first fitted alone, then the rest
     * over it (seeds {@code seed + 1} and {@code + 2} for their shuffling), before the joint
     * epochs; the callbacks see the joint epochs only.
     */
    public static Fitted fit(Prepared data, Settings settings, Callback... callbacks) {
        return fit(data, settings, Checkpointing.none(), callbacks);
    }

    /** As {@link #fit(Prepared, Settings, Callback...)}, saving and resuming as {@code checkpointing} says. */
    public static Fitted fit(Prepared data, Settings settings, Checkpointing checkpointing, Callback... callbacks) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(settings, "settings");
        checkFitsTheHeap(data, settings, Runtime.getRuntime().maxMemory());
        long start = System.nanoTime();
        FeatureModel model = FeatureModels.build(data.encoder(), data.meanLabel(), data.minLabel(), data.maxLabel(),
                new Rng(settings.seed()));
        FeatureTask task = new FeatureTask(model, data.train(), settings.batchSize(), settings.seed(),
                data.spec().retrieval() == null ? 0 : data.spec().retrieval().sampledNegatives());
        Trainer trainer = new Trainer(optimizer(model, data.spec(), settings));
        FeatureExamples validation = data.test().size() > 0 ? data.test() : null;
        int pretrain = data.spec().wide() == null ? 0 : data.spec().wide().pretrainEpochs();
        if (pretrain > 0) {
            // Each phase hands the optimizers only the part it trains, so the other part's
            // optimizer neither steps nor counts the step, and both carry their state on; each
            // phase's checkpoints hold the whole model and both optimizers, and a resumed run
            // skips the phases its checkpoint is after.
            FitConfig phase = FitConfig.of(pretrain, settings.batchSize());
            if (!checkpointing.resumesAfter(PRETRAIN_WIDE, PHASES)) {
                model.setRatingPhase(FeatureModel.RatingPhase.WIDE_ONLY);
                trainer.fit(new PartTask<>(task, model.wide(), model), data.train(), null,
                        phase.withSeed(settings.seed() + 1), checkpointing.forPhase(PRETRAIN_WIDE));
            }
            if (!checkpointing.resumesAfter(PRETRAIN_DEEP, PHASES)) {
                model.setRatingPhase(FeatureModel.RatingPhase.OVER_FIXED_WIDE);
                trainer.fit(new PartTask<>(task, new DeepPart(model), model), data.train(), null,
                        phase.withSeed(settings.seed() + 2), checkpointing.forPhase(PRETRAIN_DEEP));
            }
        }
        model.setRatingPhase(FeatureModel.RatingPhase.JOINT);
        FitConfig config = FitConfig.of(settings.epochs(), settings.batchSize())
                .withSeed(settings.seed())
                .withValidationFreq(settings.validationFreq());
        History history = trainer.fit(task, data.train(), validation, config,
                checkpointing.forPhase(Checkpoint.MAIN_PHASE), callbacks);
        return new Fitted(data, model, history, settings, seconds(start));
    }

    /** The checkpoint phases of a run whose wide part is pre-trained: wide alone, the rest over it, then joint. */
    public static final String PRETRAIN_WIDE = "pretrain_wide";
    public static final String PRETRAIN_DEEP = "pretrain_deep";
    private static final List<String> PHASES = List.of(PRETRAIN_WIDE, PRETRAIN_DEEP, Checkpoint.MAIN_PHASE);

    /** Everything of a rating model but its wide part: the towers and the head. */
    private static final class DeepPart extends Module {
        DeepPart(FeatureModel model) {
            super("deep");
            addChild(model.queryTower());
            addChild(model.candidateTower());
            addChild(model.ratingHead());
        }
    }

    /**
     * The settings' optimizer for every parameter; when the spec gives the wide part an optimizer
     * or learning rate of its own, that one for the wide weights (FTRL, as Wide &amp; Deep trains
     * its linear part) and the settings' for the rest.
     */
    public static Optimizer optimizer(FeatureModel model, FeatureSpec spec, Settings settings) {
        Optimizer main = Optimizers.create(settings.optimizer(), settings.learningRate());
        FeatureSpec.Wide wide = spec.wide();
        if (wide == null || !wide.ownOptimizer()) {
            return main;
        }
        List<Parameter> wideWeights = model.wide().parameters();
        Set<Parameter> inWide = Collections.newSetFromMap(new IdentityHashMap<>());
        inWide.addAll(wideWeights);
        List<Parameter> rest = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (!inWide.contains(p)) {
                rest.add(p);
            }
        }
        Optimizer wideOptimizer = Optimizers.create(wide.optimizer() != null ? wide.optimizer() : settings.optimizer(),
                wide.learningRate() > 0 ? wide.learningRate() : settings.learningRate());
        return MultiOptimizer.builder().add(wideWeights, wideOptimizer).add(rest, main).build();
    }

    /**
     * Refuses, before anything is allocated, embedding tables that would not fit this JVM's heap,
     * as {@link #fit} does, but saying {@code remedy} (what the user can make smaller, in their
     * terms: a command's flags rather than the spec's fields) before "or give Java more heap".
     */
    public static void requireFitsTheHeap(Prepared data, Settings settings, String remedy) {
        checkFitsTheHeap(data, settings, Runtime.getRuntime().maxMemory(), remedy);
    }

    /** {@link #requireFitsTheHeap(Prepared, Settings, String)} for an encoder adapted without its rows at hand. */
    public static void requireFitsTheHeap(FeatureEncoder encoder, Settings settings, String remedy) {
        checkFitsTheHeap(encoder, settings, Runtime.getRuntime().maxMemory(), remedy);
    }

    /**
     * Refuses, before anything is allocated, embedding tables that would not fit the heap:
     * weights plus the optimizer's slots (two per weight for the Adam family, one otherwise)
     * against {@code maxHeap} bytes, with the largest table named.
     */
    static void checkFitsTheHeap(Prepared data, Settings settings, long maxHeap) {
        checkFitsTheHeap(data, settings, maxHeap, "Lower its embedding_dim, max_tokens or hash_bins");
    }

    private static void checkFitsTheHeap(Prepared data, Settings settings, long maxHeap, String remedy) {
        checkFitsTheHeap(data.encoder(), settings, maxHeap, remedy);
    }

    private static void checkFitsTheHeap(FeatureEncoder encoder, Settings settings, long maxHeap, String remedy) {
        List<HeapBudget.Table> tables = new ArrayList<>();
        for (String tower : List.of(FeatureDefinition.QUERY, FeatureDefinition.CANDIDATE)) {
            for (TowerInput in : encoder.towerInputs(tower)) {
                tables.add(new HeapBudget.Table(in.name(), in.vocabularySize(), in.embeddingDim()));
            }
        }
        if (encoder.spec().wide() != null) {
            for (SparseLinear.Term term : FeatureModels.wideTerms(encoder)) {
                tables.add(new HeapBudget.Table("the wide part's " + term.name(), term.rows(), 1));
            }
        }
        HeapBudget.requireFits(tables, settings.optimizer(), maxHeap, remedy);
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
