package org.embedrec.models.retrieval;

import java.util.List;
import java.util.Objects;
import org.embedrec.nn.optim.Optimizers;

/**
 * How a {@link TwoTowerModel} is built and trained. Immutable; every field is validated on
 * construction. {@link #defaults()} is the protocol of the TensorFlow Recommenders "deep
 * recommenders" tutorial: 32-wide embeddings, one dense layer of 32 in each tower, Adagrad
 * with learning rate 0.1, batches of 2048, 300 epochs, validation every 5 epochs, and plain
 * in-batch softmax (temperature 1, no log-q correction, accidental hits kept, no extra
 * negatives).
 *
 * @param embeddingDim width of every embedding table of both towers
 * @param layers dense layer sizes of each tower, relu on all but the last; the last is the
 *     width of the query and candidate embeddings. Both towers have these sizes, not the weights
 * @param optimizer one of {@link Optimizers#names()}
 * @param learningRate the optimizer's learning rate
 * @param batchSize examples per step, which are also each other's negatives
 * @param epochs epochs of training
 * @param validationFreq validate every this many epochs (and always after the last)
 * @param temperature the logits {@code q . c} are divided by it
 * @param logQCorrection subtract each candidate's log sampling probability from its logit
 *     (Yi et al. 2019), its probability estimated from its frequency in the training data
 * @param removeAccidentalHits mask the logits of a query's positive item appearing elsewhere in
 *     the batch as another query's candidate
 * @param sampledNegatives extra negatives per batch, drawn uniformly from the catalogue and
 *     shared by every query of the batch; 0 for in-batch negatives only
 * @param seed seeds the initial weights, the shuffling and the sampled negatives
 */
public record TwoTowerConfig(int embeddingDim, List<Integer> layers, String optimizer, float learningRate,
                             int batchSize, int epochs, int validationFreq, float temperature,
                             boolean logQCorrection, boolean removeAccidentalHits, int sampledNegatives, long seed) {

    public TwoTowerConfig {
        atLeast("embeddingDim", embeddingDim, 1);
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers must name at least one dense layer size (the embedding width), "
                    + "e.g. [32] or [64, 32]");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) < 1) {
                throw new IllegalArgumentException("layers[" + i + "] must be at least 1, got " + layers.get(i));
            }
        }
        if (optimizer == null || !Optimizers.names().contains(optimizer)) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "': expected one of "
                    + String.join(", ", Optimizers.names()));
        }
        positiveFinite("learningRate", learningRate);
        atLeast("batchSize", batchSize, 1);
        atLeast("epochs", epochs, 1);
        atLeast("validationFreq", validationFreq, 1);
        positiveFinite("temperature", temperature);
        atLeast("sampledNegatives", sampledNegatives, 0);
    }

    /** The tutorial's protocol; see the class comment. */
    public static TwoTowerConfig defaults() {
        return new TwoTowerConfig(32, List.of(32), "adagrad", 0.1f, 2048, 300, 5, 1f, false, false, 0, 42L);
    }

    /** The width of the query and candidate embeddings: the last layer's size. */
    public int outputDim() {
        return layers.get(layers.size() - 1);
    }

    public TwoTowerConfig withEmbeddingDim(int value) {
        return new TwoTowerConfig(value, layers, optimizer, learningRate, batchSize, epochs, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withLayers(List<Integer> value) {
        return new TwoTowerConfig(embeddingDim, value, optimizer, learningRate, batchSize, epochs, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withOptimizer(String name, float rate) {
        return new TwoTowerConfig(embeddingDim, layers, name, rate, batchSize, epochs, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withBatchSize(int value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, value, epochs, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withEpochs(int value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, value, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withValidationFreq(int value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, epochs, value,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withTemperature(float value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, epochs, validationFreq,
                value, logQCorrection, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withLogQCorrection(boolean value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, epochs, validationFreq,
                temperature, value, removeAccidentalHits, sampledNegatives, seed);
    }

    public TwoTowerConfig withRemoveAccidentalHits(boolean value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, epochs, validationFreq,
                temperature, logQCorrection, value, sampledNegatives, seed);
    }

    public TwoTowerConfig withSampledNegatives(int value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, epochs, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, value, seed);
    }

    public TwoTowerConfig withSeed(long value) {
        return new TwoTowerConfig(embeddingDim, layers, optimizer, learningRate, batchSize, epochs, validationFreq,
                temperature, logQCorrection, removeAccidentalHits, sampledNegatives, value);
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
    }

    private static void positiveFinite(String field, float value) {
        if (!(value > 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + value);
        }
    }
}
