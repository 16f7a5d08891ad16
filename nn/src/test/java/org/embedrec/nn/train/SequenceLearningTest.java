package org.embedrec.nn.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.SequenceLayer;
import org.embedrec.nn.layers.Conv1D;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.GRU;
import org.embedrec.nn.layers.GlobalMaxPooling1D;
import org.embedrec.nn.layers.LSTM;
import org.embedrec.nn.layers.MultiHeadAttention;
import org.embedrec.nn.layers.PositionalEmbedding;
import org.embedrec.nn.losses.SparseCategoricalCrossEntropy;
import org.embedrec.nn.optim.Adam;
import org.junit.jupiter.api.Test;

/**
 * The sequence layers learn what only they can: a recurrent state remembering the first real token
 * of left-padded sequences of any length, causal attention with positions finding the first step
 * from the last, and a convolution spotting an ordered pair of tokens, which no bag of tokens can
 * tell from the reversed pair. Each on planted data, trained with {@link Trainer#fit}, measured on
 * held-out sequences.
 */
class SequenceLearningTest {
    private static final int TIME = 8;
    private static final int TOKENS = 5;

    @Test
    void aGruRemembersTheFirstRealTokenAcrossPadding() {
        Rng rng = new Rng(11);
        double accuracy = heldOutAccuracy(firstTokenData(2000, 1), firstTokenData(500, 2),
                ids -> new Embedding(TOKENS + 1, 8, rng), new GRU(8, 24, rng), new Dense(24, TOKENS, rng), 6);
        // Chance is 1 / 5.
        assertThat(accuracy).isGreaterThan(0.95);
    }

    @Test
    void anLstmRemembersTheFirstRealTokenAcrossPadding() {
        Rng rng = new Rng(12);
        double accuracy = heldOutAccuracy(firstTokenData(2000, 1), firstTokenData(500, 2),
                ids -> new Embedding(TOKENS + 1, 8, rng), new LSTM(8, 24, rng), new Dense(24, TOKENS, rng), 6);
        assertThat(accuracy).isGreaterThan(0.95);
    }

    @Test
    void causalAttentionFindsTheFirstStepFromTheLast() {
        Rng rng = new Rng(13);
        Embedding tokens = new Embedding(TOKENS + 1, 16, rng);
        PositionalEmbedding positions = new PositionalEmbedding(TIME, 16, rng);
        MultiHeadAttention attention = MultiHeadAttention.builder(16, 2, 8).causal(true).build(rng);
        Dense head = new Dense(16, TOKENS, rng);
        Layer model = new Layer("first_of_last") {
            {
                addChild(tokens);
                addChild(positions);
                addChild(attention);
                addChild(head);
            }

            @Override
            public Tensor apply(Tensor ids) {
                int batch = ids.dim(0);
                Tensor attended = attention.apply(positions.apply(tokens.apply(ids)));
                // The output of the last step, which may look at every step.
                Tensor last = org.embedrec.engine.Ops.slice(attended, 1, TIME - 1, TIME);
                return head.apply(org.embedrec.engine.Ops.reshape(last, batch, 16));
            }
        };
        // Full-length sequences: the first step is always position 0.
        double accuracy = fit(model, firstTokenData(2000, 3, true), firstTokenData(500, 4, true), 5);
        assertThat(accuracy).isGreaterThan(0.95);
    }

    @Test
    void aConvolutionSpotsAnOrderedPairThatABagOfTokensCannotSee() {
        Rng rng = new Rng(14);
        double accuracy = heldOutAccuracy(orderedPairData(2000, 5), orderedPairData(500, 6),
                ids -> new Embedding(TOKENS + 1, 8, rng),
                new MaskedConvolution(Conv1D.builder(8, 16, 2).activation(org.embedrec.nn.Activation.RELU).build(rng)),
                new Dense(16, 2, rng), 6);
        // Chance is 1 / 2; both classes hold the same tokens, so order is the only signal.
        assertThat(accuracy).isGreaterThan(0.95);
    }

    /** Conv1D then max over the real windows (a window is real when its last step is). */
    private static final class MaskedConvolution extends Layer implements SequenceLayer {
        private final Conv1D conv;
        private final GlobalMaxPooling1D pool = new GlobalMaxPooling1D();

        MaskedConvolution(Conv1D conv) {
            super("masked_convolution");
            this.conv = addChild(conv);
        }

        @Override
        public Tensor apply(Tensor sequences) {
            return apply(sequences, null);
        }

        @Override
        public Tensor apply(Tensor sequences, SequenceMask mask) {
            Tensor windows = conv.apply(sequences);
            int steps = windows.dim(1);
            SequenceMask windowMask = null;
            if (mask != null) {
                boolean[] flags = new boolean[mask.batch() * steps];
                for (int b = 0; b < mask.batch(); b++) {
                    for (int t = 0; t < steps; t++) {
                        flags[b * steps + t] = mask.isValid(b, t) && mask.isValid(b, t + 1);
                    }
                }
                windowMask = SequenceMask.of(flags, mask.batch(), steps);
            }
            return pool.apply(windows, windowMask);
        }
    }

    /** Embedding, a sequence layer given the padding mask of the ids (0 is padding), then a dense head. */
    private static double heldOutAccuracy(TensorDataset train, TensorDataset test, Function<Void, Embedding> embedding,
                                          SequenceLayer encoder, Dense head, int epochs) {
        Embedding tokens = embedding.apply(null);
        Layer model = new Layer("classifier") {
            {
                addChild(tokens);
                addChild((Layer) encoder);
                addChild(head);
            }

            @Override
            public Tensor apply(Tensor ids) {
                int batch = ids.dim(0);
                int[] rows = new int[ids.size()];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = (int) ids.data()[i];
                }
                SequenceMask mask = SequenceMask.fromIds(rows, batch, ids.dim(1), 0);
                return head.apply(encoder.apply(tokens.apply(ids), mask));
            }
        };
        return fit(model, train, test, epochs);
    }

    private static double fit(Layer model, TensorDataset train, TensorDataset test, int epochs) {
        SupervisedTask task = new SupervisedTask(model, new SparseCategoricalCrossEntropy(), Accuracy.CATEGORICAL);
        History history = new Trainer(new Adam(0.01f)).fit(task, train, test,
                FitConfig.of(epochs, 64).withValidationFreq(epochs));
        return history.lastValidation("accuracy").orElseThrow();
    }

    private static TensorDataset firstTokenData(int n, long seed) {
        return firstTokenData(n, seed, false);
    }

    /** Left-padded sequences of tokens 1..5 (lengths 1..8, or all 8 when {@code full}); the label is the first real token. */
    private static TensorDataset firstTokenData(int n, long seed, boolean full) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * TIME];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int length = full ? TIME : 1 + rng.nextInt(TIME);
            for (int t = TIME - length; t < TIME; t++) {
                x[i * TIME + t] = 1 + rng.nextInt(TOKENS);
            }
            y[i] = x[i * TIME + TIME - length] - 1;
        }
        return new TensorDataset(Tensor.wrap(x, n, TIME), Tensor.wrap(y, n));
    }

    /**
     * Right-padded sequences (lengths 3..8) of tokens 3..5 holding 1 and 2 once each: label 1 when 1
     * comes directly before 2, else 0 (2 directly before 1, or the two apart).
     */
    private static TensorDataset orderedPairData(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * TIME];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int length = 3 + rng.nextInt(TIME - 2);
            for (int t = 0; t < length; t++) {
                x[i * TIME + t] = 3 + rng.nextInt(3);
            }
            // 1 and 2 at two distinct positions, next to each other two times in three.
            int at = rng.nextInt(length - 1);
            int other = rng.nextInt(3) > 0 ? at + 1 : (at + 2 + rng.nextInt(length - 2)) % length;
            boolean oneFirst = rng.nextInt(2) == 0;
            x[i * TIME + at] = oneFirst ? 1 : 2;
            x[i * TIME + other] = oneFirst ? 2 : 1;
            for (int t = 0; t + 1 < length; t++) {
                if (x[i * TIME + t] == 1 && x[i * TIME + t + 1] == 2) {
                    y[i] = 1;
                }
            }
        }
        return new TensorDataset(Tensor.wrap(x, n, TIME), Tensor.wrap(y, n));
    }
}
