package org.embedrec.models.rating;

import java.util.List;
import java.util.Objects;
import org.embedrec.nn.optim.Optimizers;

/**
 * How a rating model is built and trained. Immutable; every field is validated on
 * construction, and {@link #defaults(String)} gives the defaults of each model.
 *
 * @param embeddingDim width of every embedding (factor dimension for {@code mf})
 * @param hiddenUnits hidden dense layer sizes of the neural models (relu); unused by {@code mf}
 * @param learningRate learning rate of {@link #optimizer} (the deep part's, for {@code wide-deep})
 * @param wideLearningRate learning rate of {@link #wideOptimizer} ({@code wide-deep} only)
 * @param l2 lazy L2 strength on looked-up user and item embedding rows ({@code dot-mlp},
 *     {@code ncf-mlp}); for {@code mf} each row's term is divided by the square root of the row's
 *     training count (the weighted trace norm, see {@link MatrixFactorization}), so its scale is
 *     about ten times that of the plain penalty on MovieLens 100K
 * @param dropout dropout rate in [0, 1): on the user and item embeddings before their dot product
 *     for {@code dot-mlp}; on the concatenated embeddings and after each hidden layer for
 *     {@code ncf-mlp} and the deep part of {@code wide-deep}; unused by {@code mf}
 * @param optimizer one of {@link Optimizers#names()}
 * @param wideOptimizer one of {@link Optimizers#names()}, for the wide part of {@code wide-deep}
 * @param batchSize examples per training step
 * @param epochs epochs of (joint) training
 * @param pretrainEpochs {@code wide-deep}: epochs of pre-training each part alone before the joint
 *     phase; 0 trains jointly from the start
 * @param seed seeds initial weights and shuffling
 */
public record RatingModelConfig(int embeddingDim, List<Integer> hiddenUnits, float learningRate,
                                float wideLearningRate, float l2, float dropout, String optimizer,
                                String wideOptimizer, int batchSize, int epochs, int pretrainEpochs, long seed) {

    public RatingModelConfig {
        positive("embeddingDim", embeddingDim);
        hiddenUnits = List.copyOf(Objects.requireNonNull(hiddenUnits, "hiddenUnits"));
        for (int i = 0; i < hiddenUnits.size(); i++) {
            if (hiddenUnits.get(i) <= 0) {
                throw new IllegalArgumentException("hiddenUnits[" + i + "] must be at least 1, got " + hiddenUnits.get(i));
            }
        }
        rate("learningRate", learningRate);
        rate("wideLearningRate", wideLearningRate);
        if (!(l2 >= 0f) || Float.isInfinite(l2)) {
            throw new IllegalArgumentException("l2 must be finite and >= 0, got " + l2);
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        knownOptimizer("optimizer", optimizer);
        knownOptimizer("wideOptimizer", wideOptimizer);
        positive("batchSize", batchSize);
        positive("epochs", epochs);
        if (pretrainEpochs < 0) {
            throw new IllegalArgumentException("pretrainEpochs must be >= 0, got " + pretrainEpochs);
        }
    }

    /**
     * The defaults of model {@code name} (one of {@link RatingModels#NAMES}), chosen on a
     * validation slice of MovieLens 100K's {@code u1.base} (never on {@code u1.test}):
     * <ul>
     *   <li>{@code mf}: dim 64, Adam 0.002, weighted-trace-norm l2 1.3 (validation RMSE flat within
 *       0.0006 from 1.2 to 1.4 and from 40 to 60 epochs), batch 1024, 50 epochs;
     *   <li>{@code dot-mlp}: dim 50, hidden [64], Adam 0.004, dropout 0.6 on the embeddings, no l2,
     *       batch 1024, 40 epochs (dropout, not l2, is what keeps it from overfitting: see
     *       {@link DotMlp});
     *   <li>{@code ncf-mlp}: dim 50, hidden [64], Adam 0.003, dropout 0.4, batch 1024, 30 epochs;
     *   <li>{@code wide-deep}: dim 32, hidden [64, 32], Adam 0.001 for the deep part, FTRL 0.05
     *       for the wide part, dropout 0.4 in the deep part, batch 256, 30 epochs, no pre-training.
     * </ul>
     * All use seed 42. Each reaches its plateau by its last epoch, so a few epochs more or less
     * change little.
     */
    public static RatingModelConfig defaults(String name) {
        return switch (RatingModels.checkName(name)) {
            case "mf" -> new RatingModelConfig(64, List.of(), 0.002f, 0.05f, 1.3f, 0f, "adam", "ftrl",
                    1024, 50, 0, 42L);
            case "dot-mlp" -> new RatingModelConfig(50, List.of(64), 0.004f, 0.05f, 0f, 0.6f, "adam",
                    "ftrl", 1024, 40, 0, 42L);
            case "ncf-mlp" -> new RatingModelConfig(50, List.of(64), 0.003f, 0.05f, 0f, 0.4f, "adam",
                    "ftrl", 1024, 30, 0, 42L);
            default -> new RatingModelConfig(32, List.of(64, 32), 0.001f, 0.05f, 0f, 0.4f, "adam", "ftrl",
                    256, 30, 0, 42L);
        };
    }

    public RatingModelConfig withEmbeddingDim(int value) {
        return new RatingModelConfig(value, hiddenUnits, learningRate, wideLearningRate, l2, dropout, optimizer,
                wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withHiddenUnits(List<Integer> value) {
        return new RatingModelConfig(embeddingDim, value, learningRate, wideLearningRate, l2, dropout, optimizer,
                wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withLearningRate(float value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, value, wideLearningRate, l2, dropout, optimizer,
                wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withWideLearningRate(float value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, value, l2, dropout, optimizer,
                wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withL2(float value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, value, dropout,
                optimizer, wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withDropout(float value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, value, optimizer,
                wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withOptimizer(String value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, dropout, value,
                wideOptimizer, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withWideOptimizer(String value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, dropout,
                optimizer, value, batchSize, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withBatchSize(int value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, dropout,
                optimizer, wideOptimizer, value, epochs, pretrainEpochs, seed);
    }

    public RatingModelConfig withEpochs(int value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, dropout,
                optimizer, wideOptimizer, batchSize, value, pretrainEpochs, seed);
    }

    public RatingModelConfig withPretrainEpochs(int value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, dropout,
                optimizer, wideOptimizer, batchSize, epochs, value, seed);
    }

    public RatingModelConfig withSeed(long value) {
        return new RatingModelConfig(embeddingDim, hiddenUnits, learningRate, wideLearningRate, l2, dropout,
                optimizer, wideOptimizer, batchSize, epochs, pretrainEpochs, value);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }

    private static void rate(String field, float value) {
        if (!(value > 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + value);
        }
    }

    private static void knownOptimizer(String field, String value) {
        if (value == null || !Optimizers.names().contains(value)) {
            throw new IllegalArgumentException("unknown " + field + " '" + value + "': expected one of "
                    + String.join(", ", Optimizers.names()));
        }
    }
}
