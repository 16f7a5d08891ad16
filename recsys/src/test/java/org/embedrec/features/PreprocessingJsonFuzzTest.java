package org.embedrec.features;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The saved state of the preprocessing layers, as JSON: any JSON either reads back as a layer
 * (or the encoder of a small spec) or fails with an IllegalArgumentException
 * naming the field. Bytes that are not JSON are Jackson's concern and skipped.
 */
class PreprocessingJsonFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The spec of the seeds' encoder (written by FeatureEncoder.toJson after adapting to three rows). */
    private static final FeatureSpec SPEC;

    static {
        try {
            SPEC = FeatureSpec.fromJson(JSON.readTree("""
                    {"data": {"user": "u", "item": "i"},
                     "features": [
                       {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 4},
                       {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 2},
                       {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 4},
                       {"name": "price", "kind": "numeric", "tower": "candidate",
                        "discretize": {"boundaries": [10, 20]}, "embedding_dim": 2},
                       {"name": "tags", "kind": "list", "tower": "candidate", "max_length": 3, "embedding_dim": 2}
                     ],
                     "crosses": [{"features": ["u", "device"], "buckets": 7, "embedding_dim": 2}],
                     "towers": {"query": {"layers": [4]}, "candidate": {"layers": [4]}},
                     "tasks": {"retrieval": {}}}
                    """), "fuzz spec");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void layer(byte[] input) throws Exception {
        JsonNode node = json(input);
        if (node != null) {
            loadsOrFailsWith(() -> PreprocessingLayer.fromJson(node), IllegalArgumentException.class);
        }
    }

    @FuzzTest(maxDuration = "2m")
    void encoder(byte[] input) throws Exception {
        JsonNode node = json(input);
        if (node != null) {
            loadsOrFailsWith(() -> FeatureEncoder.fromJson(SPEC, node), IllegalArgumentException.class);
        }
    }

    private static JsonNode json(byte[] input) {
        try {
            return JSON.readTree(input);
        } catch (IOException notJson) {
            return null;
        }
    }
}
