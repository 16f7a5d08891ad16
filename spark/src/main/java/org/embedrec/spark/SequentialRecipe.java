package org.embedrec.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.Objects;
import org.embedrec.models.sequential.SequentialConfig;

/**
 * Everything an executor needs to build its own copy of a next-item model being trained, shipped
 * once per fit as a broadcast: the configuration as JSON (the text a saved model holds), the
 * catalogue's size and each item's training interactions (the sampled softmax's log-q
 * correction). Weights are broadcast anew at every step.
 *
 * @param id distinguishes this fit's replicas from any other's in an executor's pool
 */
record SequentialRecipe(String id, String configJson, int numItems, int[] itemCounts) implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    SequentialRecipe {
        Objects.requireNonNull(id, "id");
        if (itemCounts.length != numItems) {
            throw new IllegalArgumentException("sequential recipe: " + itemCounts.length + " item counts for "
                    + numItems + " items");
        }
    }

    static SequentialRecipe of(String id, SequentialConfig config, int[] itemCounts) {
        try {
            return new SequentialRecipe(id, JSON.writeValueAsString(config), itemCounts.length, itemCounts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the sequential configuration cannot be written as JSON", e);
        }
    }

    SequentialConfig config() {
        try {
            return JSON.readValue(configJson, SequentialConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("replica: the recipe's configuration is unreadable", e);
        }
    }
}
