package org.embedrec.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reading a saved model's {@code model.json}, the one step every model file format shares: a
 * missing file means the directory is not a saved model, an unparsable one is named with the
 * parser's first line, one over {@link FileSizeLimit#DESCRIPTION_BYTES} with its size. What the description must contain is each format's business.
 */
final class ModelDescription {
    static final String FILE = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDescription() {}

    /** The parsed {@code dir/model.json}; null when the file holds no JSON value at all. */
    static JsonNode read(Path dir) throws IOException {
        Path json = dir.resolve(FILE);
        try {
            return JSON.readTree(FileSizeLimit.readUtf8(json, FileSizeLimit.DESCRIPTION_BYTES));
        } catch (NoSuchFileException e) {
            throw new ModelFileException(dir + ": not a saved model (no " + FILE + ")");
        } catch (FileSizeLimit.TooLarge e) {
            throw new ModelFileException(json + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ModelFileException(json + ": not valid JSON: " + firstLine(e));
        }
    }

    /** An exception's message cut to its first line (parser messages append a source excerpt). */
    static String firstLine(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("");
    }

    /** Two rows of a table under one raw id would make the id answer with either: the file is damaged. */
    static void requireDistinct(Path json, String field, List<String> ids) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!seen.add(ids.get(i))) {
                throw new ModelFileException(json + ": damaged model description: '" + field + "' lists '" + ids.get(i)
                        + "' twice (again at position " + i + ")");
            }
        }
    }

    /** {@code node}'s {@code field}, which must be present and not null. */
    static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("field \"" + field + "\" is missing");
        }
        return value;
    }

    /** The strings of the array {@code node}; {@code where} names it in the message when it is not one. */
    static List<String> strings(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + ": expected an array of strings, got " + node.getNodeType());
        }
        List<String> out = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(where + "[" + out.size() + "]: expected a string, got "
                        + n.getNodeType());
            }
            out.add(n.asText());
        }
        return out;
    }

    /** The integer tensor {@code name} of a weights file, which a saved model of this format always holds. */
    static <T> T vector(Path file, Map<String, T> vectors, String name) {
        T v = vectors.get(name);
        if (v == null) {
            throw new ModelFileException(file + ": no integer tensor '" + name + "' of the expected dtype");
        }
        return v;
    }

    /**
     * The weights file {@code weightsFile} of a saved model, checked against the checksum its
     * description {@code root} recorded: weights of another save, or of an interrupted one, fail
     * naming the file and both checksums.
     */
    static SafeTensors.Contents checkedWeights(Path weightsFile, JsonNode root) throws IOException {
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(weightsFile);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(weightsFile.getParent() + ": " + weightsFile.getFileName() + " is missing");
        }
        String expected = root.path("weights_crc32c").asText("");
        if (!expected.equals(contents.checksum())) {
            throw new ModelFileException(weightsFile + ": these weights (checksum " + contents.checksum() + ") are not "
                    + "the ones " + FILE + " was saved with (" + expected + "); an interrupted save, or files "
                    + "from two models");
        }
        return contents;
    }
}
