package org.embedrec.models.sequential;

import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.Trainer;

/** Builds and trains the sequential models by name: {@code gru4rec}, {@code sasrec}. */
public final class SequentialModels {
    /** The trainable sequential models; {@link PopularityModel#NAME} is the baseline beside them. */
    public static final List<String> NAMES = List.of(Gru4Rec.NAME, SasRec.NAME);

    private SequentialModels() {}

    /** A fresh model for a catalogue of {@code numItems}. */
    public static SequenceEncoder create(SequentialConfig config, int numItems, Rng rng) {
        return switch (config.model()) {
            case Gru4Rec.NAME -> new Gru4Rec(numItems, config.embeddingDim(), config.layers(), config.maxLength(),
                    config.dropout(), rng);
            case SasRec.NAME -> new SasRec(numItems, config.embeddingDim(), config.layers(), config.heads(),
                    config.maxLength(), config.dropout(), config.init(), rng);
            default -> throw new IllegalArgumentException("unknown sequential model '" + config.model()
                    + "': expected one of " + NAMES);
        };
    }

    /** The optimizer these models train with: Adam at {@code config}'s rate, beta2 0.98 and epsilon 1e-8, as SASRec's reference. */
    public static Adam optimizer(SequentialConfig config) {
        return Adam.builder().learningRate((float) config.learningRate()).beta2(0.98f).epsilon(1e-8f).build();
    }

    /** A trained model, its learning history and the epoch whose weights it kept (the last without early stopping). */
    public record Result(SequenceEncoder model, History history, int keptEpoch) {}

    /**
     * Trains a new {@code config.model()} on the split's training sequences with Adam (beta2 0.98, epsilon 1e-8,
     * as SASRec's reference), validating every {@code validationFreq} epochs and after the last.
     * One seed gives one model bit for bit, whatever the thread count.
     */
    public static Result fit(SequentialConfig config, NextItemSplit split, int validationFreq, Callback... callbacks) {
        return fit(config, split, validationFreq, Checkpointing.none(), callbacks);
    }

    /**
     * As {@link #fit(SequentialConfig, NextItemSplit, int, Callback...)}, saving and resuming as
     * {@code checkpointing} says, at epoch boundaries: a checkpoint holds the weights, Adam's
     * moments, the dropout streams, the streams of sampled negatives (bce) and candidates
     * (sampled softmax), the order of the users and early stopping's best weights and count.
     * A configuration whose weights and activations would not fit the heap is refused first
     * ({@link SequentialMemory}).
     */
    public static Result fit(SequentialConfig config, NextItemSplit split, int validationFreq,
                             Checkpointing checkpointing, Callback... callbacks) {
        SequentialMemory.requireFits(config, split.train(), Runtime.getRuntime().maxMemory(),
                "Lower batch_size, max_length or embedding_dim, or use the sampled-softmax loss");
        Rng rng = new Rng(config.seed());
        SequenceEncoder model = create(config, split.train().numItems(), rng);
        NextItemExamples examples = new NextItemExamples(split.train(), config.maxLength(),
                config.loss() == NextItemLoss.BCE ? config.seed() + 1 : null);
        NextItemTask task = new NextItemTask(model, config.loss(), config.sampledNegatives(), split.train().itemCounts(),
                split.validation(), config.seed(), config.excludeSeen());
        Adam adam = optimizer(config);
        FitConfig fit = FitConfig.of(config.epochs(), config.batchSize()).withSeed(config.seed())
                .withValidationFreq(validationFreq);
        boolean validated = split.validation().size() > 0;
        BestValidatedWeights best = config.patience() > 0 && validated
                ? new BestValidatedWeights(model, config.patience()) : null;
        Callback[] all = callbacks;
        if (best != null) {
            // First, so the callbacks after it (progress, logs) see the epoch that stopped training.
            all = new Callback[callbacks.length + 1];
            all[0] = best;
            System.arraycopy(callbacks, 0, all, 1, callbacks.length);
        }
        History history = new Trainer(adam).fit(task, examples, validated ? examples : null, fit, checkpointing, all);
        int kept = best != null && best.bestEpoch() > 0 ? best.bestEpoch() : history.epochs().size();
        return new Result(model, history, kept);
    }
}
