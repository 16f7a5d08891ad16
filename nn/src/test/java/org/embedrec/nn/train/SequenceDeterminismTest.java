package org.embedrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.Conv1D;
import org.embedrec.nn.layers.Conv2D;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.GRU;
import org.embedrec.nn.layers.GlobalMaxPooling1D;
import org.embedrec.nn.layers.LSTM;
import org.embedrec.nn.layers.MaxPool2D;
import org.embedrec.nn.layers.MultiHeadAttention;
import org.embedrec.nn.layers.Padding;
import org.embedrec.nn.layers.PositionalEmbedding;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.SparseCategoricalCrossEntropy;
import org.embedrec.nn.optim.Adam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One seed gives one model, bit for bit, on one thread and on two, for models of every new layer:
 * attention with dropout, the recurrent layers over padded sequences, 1-D and 2-D convolutions and
 * pooling. Batches are large enough that the gate loops, attention heads, products and im2col split.
 */
class SequenceDeterminismTest {
    private static final int TIME = 12;
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void aSequenceModelTrainsToTheSameBitsOnOneAndTwoThreads() {
        assertSameOnOneAndTwoThreads(SequenceDeterminismTest::sequenceModel, sequences());
    }

    @Test
    void anImageModelTrainsToTheSameBitsOnOneAndTwoThreads() {
        LongFunction<Layer> model = seed -> {
            Rng rng = new Rng(seed);
            return new Sequential("images",
                    Conv2D.builder(1, 8, 3, 3).padding(Padding.SAME).activation(Activation.RELU).build(rng),
                    new MaxPool2D(2, 2),
                    Conv2D.builder(8, 8, 3, 3).activation(Activation.RELU).build(rng),
                    new Flatten(),
                    new Dense(8 * 2 * 2, 4, rng));
        };
        Rng rng = new Rng(3);
        int n = 512;
        float[] x = new float[n * 8 * 8];
        float[] y = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(4);
        }
        assertSameOnOneAndTwoThreads(model, new TensorDataset(Tensor.wrap(x, n, 8, 8, 1), Tensor.wrap(y, n)));
    }

    private static void assertSameOnOneAndTwoThreads(LongFunction<Layer> model, TensorDataset data) {
        Parallel.setThreads(1);
        List<float[]> one = train(model.apply(99), data);
        Parallel.setThreads(2);
        List<float[]> two = train(model.apply(99), data);
        assertThat(two).hasSameSizeAs(one);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i)).as("parameter %d, 2 threads vs 1", i).containsExactly(one.get(i));
        }
        assertThat(train(model.apply(98), data).get(0)).as("another seed").isNotEqualTo(one.get(0));
    }

    private static List<float[]> train(Layer model, TensorDataset data) {
        SupervisedTask task = new SupervisedTask(model, new SparseCategoricalCrossEntropy());
        new Trainer(new Adam(0.01f)).fit(task, data, new FitConfig(1, 256, true, 7, 1, 1f));
        List<float[]> weights = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            weights.add(p.value().data().clone());
        }
        return weights;
    }

    /** Token ids, left-padded with 0 to 12 steps, and one of 4 classes. */
    private static TensorDataset sequences() {
        Rng rng = new Rng(5);
        int n = 512;
        float[] x = new float[n * TIME];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int length = 1 + rng.nextInt(TIME);
            for (int t = TIME - length; t < TIME; t++) {
                x[i * TIME + t] = 1 + rng.nextInt(30);
            }
            y[i] = rng.nextInt(4);
        }
        return new TensorDataset(Tensor.wrap(x, n, TIME), Tensor.wrap(y, n));
    }

    /** Embedding + positions -> causal attention with dropout -> GRU (every step) -> LSTM, and a Conv1D branch. */
    private static Layer sequenceModel(long seed) {
        Rng rng = new Rng(seed);
        Embedding tokens = new Embedding(31, 32, rng);
        PositionalEmbedding positions = new PositionalEmbedding(TIME, 32, rng);
        MultiHeadAttention attention = MultiHeadAttention.builder(32, 4, 8).causal(true).dropout(0.1).build(rng);
        GRU gru = GRU.builder(32, 32).returnSequences(true).build(rng);
        LSTM lstm = new LSTM(32, 16, rng);
        Conv1D conv = Conv1D.builder(32, 16, 3).padding(Padding.SAME).activation(Activation.RELU).build(rng);
        GlobalMaxPooling1D pool = new GlobalMaxPooling1D();
        Dense head = new Dense(32, 4, rng);
        return new Layer("sequence_model") {
            {
                addChild(tokens);
                addChild(positions);
                addChild(attention);
                addChild(gru);
                addChild(lstm);
                addChild(conv);
                addChild(head);
            }

            @Override
            public Tensor apply(Tensor ids) {
                int[] rows = new int[ids.size()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = (int) ids.data()[i];
                }
                SequenceMask mask = SequenceMask.fromIds(rows, ids.dim(0), TIME, 0);
                Tensor x = positions.apply(tokens.apply(ids));
                Tensor attended = Ops.add(x, attention.apply(x, mask));
                Tensor recurrent = lstm.apply(gru.apply(attended, mask), mask);
                Tensor convolved = pool.apply(conv.apply(x), mask);
                return head.apply(Ops.concat(1, recurrent, convolved));
            }
        };
    }
}
