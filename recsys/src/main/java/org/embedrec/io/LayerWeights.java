package org.embedrec.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;

/**
 * A model's parameters on their way to and from a weights file, by their layer paths: what every
 * saved model shares, whatever else its directory holds.
 */
final class LayerWeights {
    private LayerWeights() {}

    /** Creates {@code dir} unless it exists; an existing non-directory is the user's mistake. */
    static void prepareDirectory(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--save " + dir + ": exists and is not a directory");
        }
        Files.createDirectories(dir);
    }

    /**
     * Puts every parameter of {@code model} into {@code weights} by path; returns their shapes by
     * path, for model.json. A weight that is NaN or infinite (a run that diverged) is refused:
     * such a model answers nothing, and saving it would replace a good one.
     */
    static ObjectNode collect(Module model, Map<String, Tensor> weights) {
        ObjectNode shapes = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
            for (float v : p.getValue().value().data()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("not saving the model: parameter '" + p.getKey()
                            + "' holds NaN or infinite values (training diverged)");
                }
            }
            weights.put(p.getKey(), p.getValue().value());
            ArrayNode s = shapes.putArray(p.getKey());
            for (int d : p.getValue().shape()) {
                s.add(d);
            }
        }
        return shapes;
    }

    /** Copies the tensor of every parameter of {@code model} from {@code weights}, read from {@code file}. */
    static void restore(Module model, Path file, Map<String, Tensor> weights) {
        for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
            Tensor w = tensor(file, weights, p.getKey(), p.getValue().shape());
            System.arraycopy(w.data(), 0, p.getValue().value().data(), 0, w.size());
        }
    }

    /** The tensor {@code name} of {@code file}, which must exist and have {@code shape}. */
    static Tensor tensor(Path file, Map<String, Tensor> weights, String name, int[] shape) {
        Tensor w = weights.get(name);
        if (w == null) {
            throw new ModelFileException(file + ": no tensor '" + name + "'");
        }
        if (!Arrays.equals(w.shape(), shape)) {
            throw new ModelFileException(file + ": tensor '" + name + "' has shape " + Shape.toString(w.shape())
                    + ", the model needs " + Shape.toString(shape));
        }
        return w;
    }
}
