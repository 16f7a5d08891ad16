package org.embedrec.features;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as a spec file either read as a spec or fail with a {@link SpecException} that says
 * why, Jackson's parse errors included. The corpus is under
 * {@code src/test/resources/org/embedrec/features/FeatureSpecFuzzTestInputs}.
 */
class FeatureSpecFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "2m")
    void specFile(byte[] input) throws Exception {
        Path file = dir.resolve("spec.json");
        Files.write(file, input);
        loadsOrFailsWith(() -> FeatureSpec.read(file), SpecException.class);
    }

    @FuzzTest(maxDuration = "2m")
    void specJson(byte[] input) throws Exception {
        JsonNode root;
        try {
            root = JSON.readTree(input);
        } catch (IOException notJson) {
            return;
        }
        loadsOrFailsWith(() -> FeatureSpec.fromJson(root, "fuzzed spec"), SpecException.class);
    }
}
