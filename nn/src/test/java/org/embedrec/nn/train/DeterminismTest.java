package org.embedrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.MeanSquaredError;
import org.embedrec.nn.optim.Adam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One seed gives one model, bit for bit, whatever the number of threads. */
class DeterminismTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsOnOneAndTwoThreads() {
        List<float[]> one = trainWithThreads(1);
        List<float[]> two = trainWithThreads(2);
        List<float[]> twoAgain = trainWithThreads(2);

        assertThat(one).hasSameSizeAs(two);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).as("parameter %d, 2 threads vs 1", i).containsExactly(one.get(i));
            assertThat(twoAgain.get(i)).as("parameter %d, two runs on 2 threads", i).containsExactly(two.get(i));
        }
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        Parallel.setThreads(2);
        assertThat(train(1).get(0)).isNotEqualTo(train(2).get(0));
    }

    private List<float[]> trainWithThreads(int threads) {
        Parallel.setThreads(threads);
        return train(99);
    }

    /** Big enough that the matrix products are split across threads. */
    private static List<float[]> train(long seed) {
        Rng data = new Rng(5);
        int n = 1024;
        float[] ids = new float[n];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = data.nextInt(500);
            ys[i] = (ids[i] % 7) / 7f;
        }
        Rng rng = new Rng(seed);
        Layer model = new Sequential("det",
                new Embedding(500, 64, rng),
                new Flatten(),
                new Dense(64, 256, Activation.RELU, rng),
                new Dropout(0.2f, rng.split()),
                new Dense(256, 128, Activation.RELU, rng),
                new Dense(128, 1, Activation.LINEAR, rng));
        SupervisedTask task = new SupervisedTask(model, new MeanSquaredError());
        TensorDataset ds = new TensorDataset(Tensor.wrap(ids, n, 1), Tensor.wrap(ys, n, 1));
        new Trainer(new Adam(0.01f)).fit(task, ds, new FitConfig(2, 512, true, seed, 1, 1f));
        List<float[]> weights = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            weights.add(p.value().data().clone());
        }
        return weights;
    }
}
