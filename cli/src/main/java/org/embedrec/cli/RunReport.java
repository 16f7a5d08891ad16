package org.embedrec.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.io.AtomicFiles;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;

/**
 * The machine-readable record of a train or evaluate run, written by {@code --report}:
 * {@code model}, {@code dataset}, {@code split}, {@code config}, {@code history} (one entry per
 * epoch: epoch, loss, seconds, and {@code val} when validated), {@code metrics} on the test
 * split, {@code timing} and {@code machine}. Non-finite numbers are written as null.
 */
final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ObjectNode root = JsonNodeFactory.instance.objectNode();

    RunReport(String command, String model) {
        root.put("embedrec_version", EmbedrecVersion.CURRENT);
        root.put("command", command);
        root.put("created", Instant.now().toString());
        root.put("model", model);
    }

    RunReport dataset(String name, long interactions, int users, int items) {
        ObjectNode d = root.putObject("dataset");
        d.put("name", name);
        d.put("interactions", interactions);
        d.put("users", users);
        d.put("items", items);
        return this;
    }

    RunReport split(String spec, long trainSize, long testSize) {
        ObjectNode s = root.putObject("split");
        s.put("spec", spec);
        s.put("train", trainSize);
        s.put("test", testSize);
        return this;
    }

    /** How the test part was evaluated: "full", or "sampled" on {@code users} of its {@code ofUsers} users. */
    RunReport evaluation(String kind, int users, int ofUsers) {
        ObjectNode e = root.putObject("evaluation");
        e.put("kind", kind);
        e.put("test_users", users);
        e.put("of_test_users", ofUsers);
        return this;
    }

    RunReport config(JsonNode config) {
        root.set("config", config);
        return this;
    }

    RunReport history(History history) {
        ArrayNode h = root.putArray("history");
        for (EpochResult e : history.epochs()) {
            ObjectNode row = h.addObject();
            row.put("epoch", e.epoch());
            putNumber(row, "loss", e.loss());
            putNumber(row, "seconds", e.seconds());
            if (e.validated()) {
                putNumber(row, "validation_seconds", e.validationSeconds());
                row.set("val", numbers(e.validation()));
            }
        }
        ObjectNode t = root.putObject("timing");
        putNumber(t, "train_seconds", history.trainSeconds());
        putNumber(t, "median_epoch_seconds", history.medianEpochSeconds());
        putNumber(t, "examples_per_second", history.examplesPerSecond());
        return this;
    }

    RunReport metrics(Map<String, Double> metrics) {
        root.set("metrics", numbers(metrics));
        return this;
    }

    RunReport timing(String key, double seconds) {
        ObjectNode t = root.has("timing") ? (ObjectNode) root.get("timing") : root.putObject("timing");
        putNumber(t, key, seconds);
        return this;
    }

    JsonNode json() {
        return root;
    }

    void write(Path file) throws IOException {
        root.set("machine", MachineInfo.toJson());
        AtomicFiles.write(file, out -> JSON.writeValue(out, root));
    }

    private static ObjectNode numbers(Map<String, Double> values) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        values.forEach((k, v) -> putNumber(n, k, v));
        return n;
    }

    private static void putNumber(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }
}
