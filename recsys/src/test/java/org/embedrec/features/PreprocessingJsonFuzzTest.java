package org.embedrec.features;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The saved state of the preprocessing layers, as JSON: any JSON either reads back as a layer
 * (or an encoder of {@link FeatureSpecTest#FULL}) or fails with an IllegalArgumentException
 * naming the field. Bytes that are not JSON are Jackson's concern and skipped.
 */
class PreprocessingJsonFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FeatureSpec SPEC;

    static {
        try {
            SPEC = FeatureSpecTest.parse(FeatureSpecTest.FULL);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "3m")
    void layer(byte[] input) throws Exception {
        JsonNode node = json(input);
        if (node != null) {
            loadsOrFailsWith(() -> PreprocessingLayer.fromJson(node), IllegalArgumentException.class);
        }
    }

    @FuzzTest(maxDuration = "3m")
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
