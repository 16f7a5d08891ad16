package org.embedrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.BinaryCrossEntropy;
import org.embedrec.nn.losses.Reduction;
import org.embedrec.nn.losses.SparseCategoricalCrossEntropy;
import org.embedrec.nn.optim.Adam;
import org.junit.jupiter.api.Test;

/** Small models learn what they are known to learn, end to end through Trainer.fit. */
class EndToEndLearningTest {

    @Test
    void mlpLearnsXor() {
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        Rng rng = new Rng(7);
        Sequential model = new Sequential("xor",
                new Dense(2, 8, Activation.TANH, rng),
                new Dense(8, 1, Activation.LINEAR, rng));
        SupervisedTask task = new SupervisedTask(model, new BinaryCrossEntropy(), Accuracy.BINARY_LOGIT);
        TensorDataset data = new TensorDataset(x, y);

        History h = new Trainer(new Adam(0.05f)).fit(task, data, data, FitConfig.of(300, 4).withValidationFreq(50));

        assertThat(h.lastValidation("accuracy")).hasValue(1.0);
        assertThat(h.last().loss()).isLessThan(0.1);
        assertThat(h.epochs()).hasSize(300);
    }

    /**
     * The classic Keras example: Embedding(10, 10) -> Dense(50, relu) -> Dense(2, softmax),
     * sparse categorical cross-entropy on probabilities, Adam 0.001, batch 4, learning the
     * labels [0,1,0,1,1,0,0,1] of ids [2,3,4,5,8,1,6,7].
     */
    @Test
    void kerasEmbeddingClassifierReachesFullTrainingAccuracy() {
        int[] ids = {2, 3, 4, 5, 8, 1, 6, 7};
        int[] labels = {0, 1, 0, 1, 1, 0, 0, 1};
        int repeats = 4;
        float[] xs = new float[ids.length * repeats];
        float[] ys = new float[ids.length * repeats];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = ids[i % ids.length];
            ys[i] = labels[i % ids.length];
        }
        Rng rng = new Rng(1);
        Sequential model = new Sequential("keras_example",
                new Embedding(10, 10, rng),
                new Flatten(),
                new Dense(10, 50, Activation.RELU, rng),
                new Dense(50, 2, Activation.SOFTMAX, rng));
        SupervisedTask task = new SupervisedTask(model,
                new SparseCategoricalCrossEntropy(false, Reduction.MEAN), Accuracy.CATEGORICAL);
        TensorDataset data = new TensorDataset(Tensor.wrap(xs, xs.length, 1), Tensor.wrap(ys, ys.length));

        History h = new Trainer(new Adam(0.001f)).fit(task, data, data, FitConfig.of(150, 4).withValidationFreq(150));

        assertThat(h.lastValidation("accuracy")).hasValue(1.0);
        Tensor p = task.predict(Tensor.of(new float[] {3f, 6f}, 2, 1));
        assertThat(p.get(0, 1)).isGreaterThan(0.5f);
        assertThat(p.get(1, 0)).isGreaterThan(0.5f);
    }
}
