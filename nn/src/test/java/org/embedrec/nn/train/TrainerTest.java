package org.embedrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.losses.MeanSquaredError;
import org.embedrec.nn.optim.SGD;
import org.junit.jupiter.api.Test;

class TrainerTest {

    /** y = 3x - 1 on 64 points: one linear unit can fit it exactly. */
    private static TensorDataset line() {
        float[] x = new float[64];
        float[] y = new float[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i - 32) / 32f;
            y[i] = 3 * x[i] - 1;
        }
        return new TensorDataset(Tensor.wrap(x, 64, 1), Tensor.wrap(y, 64, 1));
    }

    private static SupervisedTask linearTask() {
        return new SupervisedTask(new Dense(1, 1, Activation.LINEAR, new Rng(3)), new MeanSquaredError());
    }

    @Test
    void fitsALineAndRecordsEveryEpoch() {
        SupervisedTask task = linearTask();
        History h = new Trainer(new SGD(0.1f)).fit(task, line(), line(), FitConfig.of(60, 8).withValidationFreq(20));

        assertThat(h.epochs()).hasSize(60);
        assertThat(h.last().loss()).isLessThan(1e-4);
        assertThat(h.epochs().get(0).loss()).isGreaterThan(h.last().loss());
        Dense d = (Dense) task.model();
        assertThat(d.kernel().value().data()[0]).isCloseTo(3f, org.assertj.core.data.Offset.offset(1e-2f));
        assertThat(d.bias().orElseThrow().value().data()[0]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-2f));
    }

    @Test
    void validatesEveryNEpochsAndAfterTheLast() {
        History h = new Trainer(new SGD(0.1f)).fit(linearTask(), line(), line(), FitConfig.of(7, 16).withValidationFreq(3));
        List<Integer> validated = new ArrayList<>();
        for (EpochResult e : h.epochs()) {
            if (e.validated()) {
                validated.add(e.epoch());
                assertThat(e.validation()).containsKey("loss");
            }
        }
        assertThat(validated).containsExactly(3, 6, 7);
    }

    @Test
    void divergenceStopsWithEpochAndStep() {
        assertThatThrownBy(() -> new Trainer(new SGD(1e6f)).fit(linearTask(), line(), FitConfig.of(50, 8)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageMatching("training diverged: the loss is (NaN|Infinity) at epoch \\d+, batch \\d+ of 8 .*");
    }

    @Test
    void earlyStoppingEndsAStalledRun() {
        // A learning rate this small cannot improve validation loss by minDelta per epoch.
        EarlyStopping stop = new EarlyStopping("loss", false, 2, 1.0);
        History h = new Trainer(new SGD(1e-6f)).fit(linearTask(), line(), line(), FitConfig.of(50, 8), stop);

        assertThat(h.epochs()).hasSize(4);
        assertThat(h.stoppedEarly()).isTrue();
        assertThat(stop.bestEpoch()).isEqualTo(1);
    }

    @Test
    void callbacksSeeEveryBatch() {
        int[] batches = {0};
        Callback counter = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int step, double loss) {
                batches[0]++;
            }
        };
        new Trainer(new SGD(0.1f)).fit(linearTask(), line(), FitConfig.of(3, 10), counter);
        assertThat(batches[0]).isEqualTo(3 * 7);
    }

    @Test
    void badConfigurationIsRejectedByName() {
        assertThatThrownBy(() -> FitConfig.of(0, 8)).hasMessage("epochs must be at least 1, got 0");
        assertThatThrownBy(() -> FitConfig.of(1, 0)).hasMessage("batchSize must be at least 1, got 0");
        assertThatThrownBy(() -> new TensorDataset(Tensor.zeros(3, 2), Tensor.zeros(4)))
                .hasMessageContaining("same number of rows");
    }
}
