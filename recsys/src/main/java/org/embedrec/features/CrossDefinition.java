package org.embedrec.features;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A crossed feature: the combination of two or more categorical features' ids, hashed into
 * {@code buckets} ({@link CategoryCross}) and embedded {@code embeddingDim} wide, in the tower
 * of the features it crosses (all of them must be in that tower).
 */
public record CrossDefinition(String name, List<String> features, int buckets, int embeddingDim) {

    public CrossDefinition {
        features = List.copyOf(features);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        features.forEach(o.putArray("features")::add);
        o.put("buckets", buckets);
        o.put("embedding_dim", embeddingDim);
        return o;
    }
}
