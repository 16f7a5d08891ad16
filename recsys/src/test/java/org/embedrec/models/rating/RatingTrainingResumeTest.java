package org.embedrec.models.rating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.train.Checkpoint;
import org.embedrec.nn.train.CheckpointStore;
import org.embedrec.nn.train.Checkpointing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RatingTraining} of Wide &amp; Deep with pre-training, stopped right after a checkpoint
 * inside the wide part's pre-training or the deep part's, resumed from it on one thread or two:
 * its predictions equal the run that never stopped, bit for bit.
 */
class RatingTrainingResumeTest {
    private static final PlantedRatings DATA = PlantedRatings.generate(100, 80, 3_000, 4, 0.3, 5);
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** The process dying right after its {@code crashAfter}-th checkpoint. */
    private static final class Crash extends RuntimeException {}

    /** Keeps a copy of the last checkpoint, as a directory would, and dies after the given one. */
    private static final class CrashingStore implements CheckpointStore {
        private final int crashAfter;
        private int saves;
        Checkpoint last;

        CrashingStore(int crashAfter) {
            this.crashAfter = crashAfter;
        }

        @Override
        public void save(Checkpoint c) {
            TrainingState copy = new TrainingState();
            c.state().floats().forEach((k, v) -> copy.putFloats(k, Tensor.wrap(v.data().clone(), v.shape())));
            c.state().ints().forEach((k, v) -> copy.putInts(k, v.clone()));
            c.state().longs().forEach((k, v) -> copy.putLongs(k, v.clone()));
            last = new Checkpoint(c.epochsDone(), c.history().copy(), copy, c.phase());
            if (++saves == crashAfter) {
                throw new Crash();
            }
        }
    }

    /** Three pre-training epochs per part, two joint: checkpoints 1-3 are the wide part's, 4-6 the deep part's. */
    private static final RatingModelConfig CONFIG = RatingModelConfig.defaults("wide-deep").withEpochs(2)
            .withPretrainEpochs(3).withSeed(9);

    private static float[] train(Checkpointing checkpointing) {
        RatingModel model = RatingModels.create("wide-deep", DATA.spec, CONFIG, new Rng(CONFIG.seed()));
        RatingTraining.fit(model, CONFIG, DATA.train, DATA.test, checkpointing);
        return model.predict(DATA.test);
    }

    @Test
    void wideAndDeepResumedInsideEitherPretrainingPhaseEqualsTheWholeRun() {
        Parallel.setThreads(1);
        float[] whole = train(Checkpointing.none());
        for (int crashAfter : new int[] {2, 5}) {
            Parallel.setThreads(1);
            CrashingStore store = new CrashingStore(crashAfter);
            assertThatThrownBy(() -> train(Checkpointing.every(1, store))).isInstanceOf(Crash.class);
            assertThat(store.last.phase()).isEqualTo(crashAfter == 2 ? RatingTraining.PRETRAIN_WIDE
                    : RatingTraining.PRETRAIN_DEEP);
            assertThat(store.last.epochsDone()).isEqualTo(2);
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                float[] resumed = train(Checkpointing.every(1, new CrashingStore(0)).resumingFrom(store.last));
                assertThat(resumed).as("resumed after checkpoint %d on %d thread(s)", crashAfter, threads)
                        .containsExactly(whole);
            }
        }
    }
}
