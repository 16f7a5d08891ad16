package org.embedrec.models.rating;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.embedrec.features.FeatureSpec;

/**
 * The rating presets as feature specs: the spec shipped for each of {@link RatingModels#NAMES}
 * ({@link FeatureSpec#preset}) with the settings of a {@link RatingModelConfig} written into it,
 * so that {@code --model NAME} and its flags train the model the spec describes. Each setting
 * goes where that model reads it:
 * <ul>
 *   <li>{@code embeddingDim}: every feature's {@code embedding_dim};</li>
 *   <li>{@code hiddenUnits}: the head's {@code layers};</li>
 *   <li>{@code dropout}: the head's {@code input_dropout}, and for {@code ncf-mlp} and
 *       {@code wide-deep} also its {@code dropout} after each hidden layer;</li>
 *   <li>{@code l2}: {@code training.l2} ({@code mf} keeps its {@code sqrt_frequency} weighting);</li>
 *   <li>{@code optimizer}, {@code learningRate}, {@code batchSize}, {@code epochs}: {@code training};</li>
 *   <li>{@code wideOptimizer}, {@code wideLearningRate}, {@code pretrainEpochs}: the wide part of
 *       {@code wide-deep}.</li>
 * </ul>
 * {@code RatingSpecs.of(name, RatingModelConfig.defaults(name))} is the shipped spec itself.
 */
public final class RatingSpecs {
    private RatingSpecs() {}

    /** Preset {@code name}'s spec with {@code config}'s settings; the seed is the caller's to use. */
    public static FeatureSpec of(String name, RatingModelConfig config) {
        RatingModels.checkName(name);
        ObjectNode root = FeatureSpec.preset(name).toJson();
        for (JsonNode feature : root.withArray("features")) {
            ((ObjectNode) feature).put("embedding_dim", config.embeddingDim());
        }
        ObjectNode rating = (ObjectNode) root.path("tasks").path("rating");
        ObjectNode head = (ObjectNode) rating.path("head");
        ArrayNode layers = head.putArray("layers");
        config.hiddenUnits().forEach(layers::add);
        if (!name.equals("mf")) {
            head.put("input_dropout", decimal(config.dropout()));
        }
        if (name.equals("ncf-mlp") || name.equals("wide-deep")) {
            head.put("dropout", decimal(config.dropout()));
        }
        if (name.equals("wide-deep")) {
            ObjectNode wide = (ObjectNode) rating.path("wide");
            wide.put("optimizer", config.wideOptimizer());
            wide.put("lr", decimal(config.wideLearningRate()));
            wide.put("pretrain_epochs", config.pretrainEpochs());
        }
        ObjectNode training = (ObjectNode) root.path("training");
        training.put("optimizer", config.optimizer());
        training.put("lr", decimal(config.learningRate()));
        training.put("batch_size", config.batchSize());
        training.put("epochs", config.epochs());
        if (!name.equals("wide-deep")) {
            training.put("l2", decimal(config.l2()));
        }
        return FeatureSpec.fromJson(root, "preset " + name + " with " + describe(config));
    }

    /** The number a float prints as (0.002, not 0.0020000000949949026), as a spec file would hold it. */
    private static double decimal(float value) {
        return Double.parseDouble(Float.toString(value));
    }

    private static String describe(RatingModelConfig c) {
        return String.join(", ", List.of("embedding dim " + c.embeddingDim(), "layers " + c.hiddenUnits(),
                "dropout " + c.dropout(), "l2 " + c.l2()));
    }
}
