package org.embedrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.MeanSquaredError;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.optim.Optimizer;
import org.embedrec.nn.optim.SGD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run stopped after a checkpoint and resumed from it ends with the same weights and the same
 * history as a run that never stopped, bit for bit: through shuffling, dropout masks, sparse
 * embedding rows and Adam's moments, on one thread or two.
 */
class CheckpointResumeTest {
    private static final int EPOCHS = 5;
    /** Diverges after a few epochs (eight, as it happens) on {@link #data} with one batch per epoch. */
    private static final float DIVERGING_RATE = 2f;
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** The stand-in for a checkpoint directory: keeps a copy of the last checkpoint, as a file would. */
    static final class MemoryStore implements CheckpointStore {
        Checkpoint last;
        final List<Integer> savedEpochs = new ArrayList<>();

        @Override
        public void save(Checkpoint c) {
            TrainingState copy = new TrainingState();
            c.state().floats().forEach((k, v) -> copy.putFloats(k, Tensor.wrap(v.data().clone(), v.shape())));
            c.state().ints().forEach((k, v) -> copy.putInts(k, v.clone()));
            c.state().longs().forEach((k, v) -> copy.putLongs(k, v.clone()));
            last = new Checkpoint(c.epochsDone(), c.history().copy(), copy, c.phase());
            savedEpochs.add(c.epochsDone());
        }
    }

    /** The process dying in the middle of an epoch. */
    private static final class Crash extends RuntimeException {}

    private static Callback crashDuring(int epoch) {
        return new Callback() {
            @Override
            public void onBatchEnd(int e, int step, double loss) {
                if (e == epoch && step == 2) {
                    throw new Crash();
                }
            }
        };
    }

    /** An id lookup, two dense layers with dropout between: every kind of state a step carries. */
    private static final class Run {
        final Embedding embedding;
        final Layer model;
        final SupervisedTask task;
        final Trainer trainer;

        Run(Optimizer optimizer) {
            Rng rng = new Rng(7);
            embedding = new Embedding(300, 16, rng);
            model = new Sequential("net", embedding, new Flatten(),
                    new Dense(16, 32, Activation.RELU, rng), new Dropout(0.3, rng), new Dense(32, 1, Activation.LINEAR, rng));
            task = new SupervisedTask(model, new MeanSquaredError());
            trainer = new Trainer(optimizer);
        }

        Run() {
            this(new Adam(0.01f));
        }

        History fit(Checkpointing checkpointing, Callback... callbacks) {
            return trainer.fit(task, data(0), data(1), new FitConfig(EPOCHS, 64, true, 11L, 2, 0f), checkpointing,
                    callbacks);
        }

        /**
         * Two phases: {@value #PRETRAIN} epochs stepping the embedding alone (another shuffling
         * seed), then the whole model's own epochs, skipping the first when the checkpoint is later.
         */
        History fitInPhases(Checkpointing checkpointing, Callback... callbacks) {
            if (!checkpointing.resumesAfter(PRETRAIN_PHASE, PHASES)) {
                trainer.fit(new PartTask<>(task, embedding, model), data(0), null,
                        new FitConfig(PRETRAIN, 64, true, 12L, 1, 0f), checkpointing.forPhase(PRETRAIN_PHASE), callbacks);
            }
            return fit(checkpointing.forPhase(Checkpoint.MAIN_PHASE), callbacks);
        }

        List<float[]> weights() {
            List<float[]> out = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                out.add(p.value().data().clone());
            }
            return out;
        }
    }

    private static final String PRETRAIN_PHASE = "pretrain_embedding";
    private static final List<String> PHASES = List.of(PRETRAIN_PHASE, Checkpoint.MAIN_PHASE);
    private static final int PRETRAIN = 3;

    private static TensorDataset data(int seed) {
        Rng rng = new Rng(100 + seed);
        int n = 500;
        float[] ids = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rng.nextInt(300);
            ys[i] = (ids[i] % 5) / 5f;
        }
        return new TensorDataset(Tensor.wrap(ids, n, 1), Tensor.wrap(ys, n, 1));
    }

    @Test
    void aResumedRunEqualsTheUninterruptedOneOnOneAndTwoThreads() {
        Parallel.setThreads(1);
        Run whole = new Run();
        History expected = whole.fit(Checkpointing.none());

        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(1);
            MemoryStore store = new MemoryStore();
            Run crashed = new Run();
            assertThatThrownBy(() -> crashed.fit(Checkpointing.every(2, store), crashDuring(4)))
                    .isInstanceOf(Crash.class);
            assertThat(store.savedEpochs).containsExactly(2);

            Parallel.setThreads(threads);
            Run resumed = new Run();
            List<Integer> trainedEpochs = new ArrayList<>();
            History history = resumed.fit(Checkpointing.every(2, store).resumingFrom(store.last), new Callback() {
                @Override
                public boolean onEpochEnd(EpochResult r) {
                    trainedEpochs.add(r.epoch());
                    return true;
                }
            });

            assertThat(trainedEpochs).as("epochs trained after resuming").containsExactly(3, 4, 5);
            assertThat(store.savedEpochs).containsExactly(2, 4);
            assertSameWeights(resumed.weights(), whole.weights(), threads);
            assertSameHistory(history, expected);
        }
    }

    /**
     * A run that pre-trains the embedding alone, killed in the pre-training or in the main epochs,
     * resumes in the phase it was in: the pre-training's checkpoint holds the whole model (the
     * layers it does not step, their dropout stream) and Adam's slots, so both end as the run that
     * never stopped did.
     */
    @Test
    void aRunInPhasesResumesInThePhaseItWasIn() {
        Parallel.setThreads(1);
        Run whole = new Run();
        History expected = whole.fitInPhases(Checkpointing.none());
        for (int threads : new int[] {1, 2}) {
            for (String crashPhase : PHASES) {
                Parallel.setThreads(1);
                MemoryStore store = new MemoryStore();
                Run crashed = new Run();
                int crashEpoch = crashPhase.equals(PRETRAIN_PHASE) ? 2 : 3;
                boolean[] inCrashPhase = {false};
                Callback crash = new Callback() {
                    @Override
                    public void onTrainBegin(int epochs, int steps) {
                        inCrashPhase[0] = epochs == (crashPhase.equals(PRETRAIN_PHASE) ? PRETRAIN : EPOCHS);
                    }

                    @Override
                    public void onBatchEnd(int e, int step, double loss) {
                        if (inCrashPhase[0] && e == crashEpoch && step == 2) {
                            throw new Crash();
                        }
                    }
                };
                assertThatThrownBy(() -> crashed.fitInPhases(Checkpointing.every(1, store), crash))
                        .isInstanceOf(Crash.class);
                assertThat(store.last.phase()).isEqualTo(crashPhase);
                assertThat(store.last.epochsDone()).isEqualTo(crashEpoch - 1);

                Parallel.setThreads(threads);
                Run resumed = new Run();
                History history = resumed.fitInPhases(Checkpointing.every(1, store).resumingFrom(store.last));
                assertSameWeights(resumed.weights(), whole.weights(), threads);
                assertSameHistory(history, expected);
            }
        }
    }

    @Test
    void aCheckpointOfAPhaseTheRunDoesNotHaveIsRefusedByName() {
        MemoryStore store = new MemoryStore();
        Run first = new Run();
        first.fit(Checkpointing.every(1, store));
        Checkpoint pretraining = new Checkpoint(1, History.of(store.last.history().epochs().subList(0, 1), false),
                store.last.state(), "pretrain_everything");
        assertThatThrownBy(() -> new Run().fitInPhases(Checkpointing.none().resumingFrom(pretraining)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the checkpoint was taken in training phase 'pretrain_everything', which this run does "
                        + "not have (its phases are pretrain_embedding, main)");
        Checkpoint ofPretraining = new Checkpoint(1, pretraining.history(), pretraining.state(), PRETRAIN_PHASE);
        assertThatThrownBy(() -> new Run().fit(Checkpointing.none().resumingFrom(ofPretraining)))
                .hasMessage("the checkpoint was taken in training phase 'pretrain_embedding', this run continues "
                        + "phase 'main'");
    }

    /**
     * Early stopping's best value and count of validations without improvement are in the
     * checkpoint: the resumed run stops at the epoch the uninterrupted one stopped at, not
     * {@code patience} validations after its own first.
     */
    @Test
    void anEarlyStoppingRunResumedAfterAValidationStopsWhereTheUninterruptedOneDid() {
        // No validation improves the first by 10: stale after epochs 2, 3, 4, and 4 is the stop.
        FitConfig config = new FitConfig(8, 64, true, 11L, 1, 0f);
        Run whole = new Run();
        EarlyStopping wholeStop = new EarlyStopping("loss", false, 2, 10.0);
        History expected = whole.trainer.fit(whole.task, data(0), data(1), config, Checkpointing.none(), wholeStop);
        assertThat(expected.epochs()).hasSize(4);
        assertThat(expected.stoppedEarly()).isTrue();

        MemoryStore store = new MemoryStore();
        Run crashed = new Run();
        assertThatThrownBy(() -> crashed.trainer.fit(crashed.task, data(0), data(1), config,
                Checkpointing.every(1, store), new EarlyStopping("loss", false, 2, 10.0), crashDuring(3)))
                .isInstanceOf(Crash.class);
        assertThat(store.last.epochsDone()).isEqualTo(2);

        Run resumed = new Run();
        EarlyStopping resumedStop = new EarlyStopping("loss", false, 2, 10.0);
        History history = resumed.trainer.fit(resumed.task, data(0), data(1), config,
                Checkpointing.every(1, store).resumingFrom(store.last), resumedStop);
        assertSameHistory(history, expected);
        assertSameWeights(resumed.weights(), whole.weights(), Parallel.threads());
        assertThat(resumedStop.bestEpoch()).isEqualTo(1);
        assertThat(resumedStop.best()).isEqualTo(wholeStop.best());
    }

    @Test
    void withoutACheckpointTheRunTrainsAsBefore() {
        Parallel.setThreads(1);
        Run plain = new Run();
        plain.fit(Checkpointing.none());
        Run checkpointed = new Run();
        checkpointed.fit(Checkpointing.every(1, new MemoryStore()));
        assertSameWeights(checkpointed.weights(), plain.weights(), 1);
    }

    @Test
    void resumingTheLastCheckpointOfAFinishedRunTrainsNothingAndGivesItsHistory() {
        MemoryStore store = new MemoryStore();
        Run first = new Run();
        History expected = first.fit(Checkpointing.every(5, store));
        Run again = new Run();
        History history = again.fit(Checkpointing.none().resumingFrom(store.last));
        assertSameHistory(history, expected);
        assertSameWeights(again.weights(), first.weights(), 1);
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedWithTheParameterAndBothShapes() {
        MemoryStore store = new MemoryStore();
        assertThatThrownBy(() -> new Run().fit(Checkpointing.every(2, store), crashDuring(3))).isInstanceOf(Crash.class);
        Rng rng = new Rng(7);
        Layer wider = new Sequential("net", new Embedding(300, 8, rng), new Flatten(), new Dense(8, 1, Activation.LINEAR, rng));
        Trainer trainer = new Trainer(new Adam(0.01f));
        assertThatThrownBy(() -> trainer.fit(new SupervisedTask(wider, new MeanSquaredError()), data(0), null,
                new FitConfig(EPOCHS, 64, true, 11L, 2, 0f), Checkpointing.none().resumingFrom(store.last)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'model/embedding/embeddings' has shape [300, 16], this run needs [300, 8]");
    }

    @Test
    void aCheckpointAfterMoreEpochsThanTheRunHasIsRefused() {
        MemoryStore store = new MemoryStore();
        new Run().fit(Checkpointing.every(4, store));
        Run shorter = new Run();
        assertThatThrownBy(() -> shorter.trainer.fit(shorter.task, data(0), null, FitConfig.of(3, 64),
                Checkpointing.none().resumingFrom(store.last)))
                .hasMessage("the checkpoint is after epoch 4, but this run trains 3 epochs");
    }

    @Test
    void aDivergingRunStopsNamingEpochBatchAndLossAndKeepsTheLastGoodCheckpoint() {
        MemoryStore store = new MemoryStore();
        // Full-batch SGD past its stable step size on a linear model: the error grows by a factor
        // each epoch until it overflows.
        Rng rng = new Rng(7);
        Layer linear = new Sequential("net", new Embedding(300, 16, rng), new Flatten(),
                new Dense(16, 1, Activation.LINEAR, rng));
        Trainer trainer = new Trainer(new SGD(DIVERGING_RATE));
        TrainingDivergedException diverged = catchThrowableOfType(() -> trainer.fit(
                new SupervisedTask(linear, new MeanSquaredError()), data(0), null,
                new FitConfig(200, 500, false, 1L, 1, 0f), Checkpointing.every(1, store)), TrainingDivergedException.class);
        assertThat(diverged).hasMessageMatching("training diverged: (the loss is (NaN|Infinity) at epoch \\d+, batch 1 "
                + "of 1|parameter '.*' holds NaN or infinite values after epoch \\d+) \\(try a lower learning rate.*");
        assertThat(store.last).as("a checkpoint before divergence").isNotNull();
        assertThat(store.last.epochsDone()).as("the last good epoch").isEqualTo(diverged.epoch() - 1).isGreaterThan(1);
        for (Tensor t : store.last.state().floats().values()) {
            for (float v : t.data()) {
                assertThat(Float.isFinite(v)).as("every weight of the kept checkpoint is finite").isTrue();
            }
        }
        assertThat(store.last.history().last().loss()).isFinite();
    }

    @Test
    void anOptimizerThatCannotSaveItsStateIsNamed() {
        Optimizer plain = parameters -> { };
        Run run = new Run();
        Trainer trainer = new Trainer(plain);
        assertThatThrownBy(() -> trainer.fit(run.task, data(0), null, FitConfig.of(1, 64),
                Checkpointing.every(1, new MemoryStore())))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot save its state for a checkpoint");
    }

    private static void assertSameWeights(List<float[]> actual, List<float[]> expected, int threads) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("parameter %d, resumed on %d thread(s)", i, threads)
                    .containsExactly(expected.get(i));
        }
    }

    /** The same losses and validation metrics, bit for bit; timings differ by nature. */
    static void assertSameHistory(History actual, History expected) {
        assertThat(actual.epochs()).hasSameSizeAs(expected.epochs());
        for (int i = 0; i < expected.epochs().size(); i++) {
            EpochResult a = actual.epochs().get(i);
            EpochResult e = expected.epochs().get(i);
            assertThat(a.epoch()).isEqualTo(e.epoch());
            assertThat(Double.doubleToRawLongBits(a.loss())).as("loss of epoch %d", e.epoch())
                    .isEqualTo(Double.doubleToRawLongBits(e.loss()));
            assertThat(a.validation()).as("validation of epoch %d", e.epoch()).isEqualTo(e.validation());
            assertThat(a.examples()).isEqualTo(e.examples());
        }
        assertThat(actual.stoppedEarly()).isEqualTo(expected.stoppedEarly());
    }
}
