package org.embedrec.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
}
