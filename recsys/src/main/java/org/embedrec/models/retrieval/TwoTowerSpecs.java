package org.embedrec.models.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.embedrec.features.FeatureSpec;

/**
 * The two-tower preset as a feature spec: the shipped {@code two-tower} spec
 * ({@link FeatureSpec#preset}) with the settings of a {@link TwoTowerConfig} written into it, so
 * that {@code train --model two-tower} and its flags train the model the spec describes, the
 * numbers of the hand-written {@link TwoTowerModel} bit for bit
 * ({@code TwoTowerPresetEquivalenceTest}). Each setting goes where the spec reads it:
 * <ul>
 *   <li>{@code embeddingDim}: every feature's {@code embedding_dim};</li>
 *   <li>{@code layers}: both towers' {@code layers} ({@code [64, 32]} is {@code two-tower-deep});</li>
 *   <li>{@code temperature}, {@code logQCorrection}, {@code removeAccidentalHits},
 *       {@code sampledNegatives}: {@code tasks.retrieval}'s {@code temperature}, {@code log_q},
 *       {@code remove_accidental_hits} and {@code sampled_negatives};</li>
 *   <li>{@code optimizer}, {@code learningRate}, {@code batchSize}, {@code epochs},
 *       {@code validationFreq}: {@code training}.</li>
 * </ul>
 * {@code TwoTowerSpecs.of(TwoTowerConfig.defaults())} is the shipped spec itself.
 */
public final class TwoTowerSpecs {
    /** The preset's name, as {@code --model} and {@code --spec} take it. */
    public static final String NAME = "two-tower";

    private TwoTowerSpecs() {}

    /** The preset's spec with {@code config}'s settings; the seed is the caller's to use. */
    public static FeatureSpec of(TwoTowerConfig config) {
        ObjectNode root = FeatureSpec.preset(NAME).toJson();
        for (JsonNode feature : root.withArray("features")) {
            ((ObjectNode) feature).put("embedding_dim", config.embeddingDim());
        }
        for (String tower : new String[] {"query", "candidate"}) {
            ArrayNode layers = ((ObjectNode) root.path("towers").path(tower)).putArray("layers");
            config.layers().forEach(layers::add);
        }
        ObjectNode retrieval = (ObjectNode) root.path("tasks").path("retrieval");
        retrieval.put("temperature", decimal(config.temperature()));
        retrieval.put("log_q", config.logQCorrection());
        retrieval.put("remove_accidental_hits", config.removeAccidentalHits());
        if (config.sampledNegatives() > 0) {
            retrieval.put("sampled_negatives", config.sampledNegatives());
        }
        ObjectNode training = (ObjectNode) root.path("training");
        training.put("optimizer", config.optimizer());
        training.put("lr", decimal(config.learningRate()));
        training.put("batch_size", config.batchSize());
        training.put("epochs", config.epochs());
        training.put("validation_freq", config.validationFreq());
        return FeatureSpec.fromJson(root, "preset " + NAME + " with embedding dim " + config.embeddingDim()
                + ", layers " + config.layers());
    }

    /** The number a float prints as (0.1, not 0.10000000149011612), as a spec file would hold it. */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }
}
