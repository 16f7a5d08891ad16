package org.embedrec.nn;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;

/**
 * Everything a training run needs to continue bit for bit where it stopped, as named arrays:
 * float tensors (weights, optimizer slots), int vectors (the order of the examples), long
 * vectors (random streams, step counters). These are the three kinds a safetensors file holds,
 * so a checkpoint store writes them as one file.
 *
 * <p>Names are slash-separated paths whose first part says who owns the entry
 * ({@code model/...}, {@code optimizer/...}, {@code task/...}, {@code trainer/...}). Reading an
 * entry names what is missing or of the wrong size, so that a state saved by another model or
 * optimizer is refused with a message rather than restored wrongly.
 */
public final class TrainingState {
    private final Map<String, Tensor> floats = new LinkedHashMap<>();
    private final Map<String, int[]> ints = new LinkedHashMap<>();
    private final Map<String, long[]> longs = new LinkedHashMap<>();

    /** Keeps {@code value} (not a copy: a store writes it before training goes on) under {@code name}. */
    public void putFloats(String name, Tensor value) {
        floats.put(checkNew(name), Objects.requireNonNull(value, name));
    }

    public void putInts(String name, int[] value) {
        ints.put(checkNew(name), Objects.requireNonNull(value, name));
    }

    public void putLongs(String name, long[] value) {
        longs.put(checkNew(name), Objects.requireNonNull(value, name));
    }

    /** Saves where {@code rng} is in its stream. */
    public void putRng(String name, Rng rng) {
        putLongs(name, rng.saveState());
    }

    /** The float tensor {@code name}, which must have {@code shape}. */
    public Tensor floats(String name, int[] shape) {
        Tensor t = floats.get(name);
        if (t == null) {
            throw missing(name, "float tensor");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("the training state's '" + name + "' has shape "
                    + Shape.toString(t.shape()) + ", this run needs " + Shape.toString(shape));
        }
        return t;
    }

    /** The int vector {@code name}, which must have {@code length} values. */
    public int[] ints(String name, int length) {
        int[] v = ints.get(name);
        if (v == null) {
            throw missing(name, "int vector");
        }
        requireLength(name, v.length, length);
        return v;
    }

    /** The long vector {@code name}, which must have {@code length} values. */
    public long[] longs(String name, int length) {
        long[] v = longs.get(name);
        if (v == null) {
            throw missing(name, "long vector");
        }
        requireLength(name, v.length, length);
        return v;
    }

    /** Continues {@code rng} from the stream position saved under {@code name}. */
    public void restoreRng(String name, Rng rng) {
        rng.restoreState(longs(name, 2));
    }

    public boolean has(String name) {
        return floats.containsKey(name) || ints.containsKey(name) || longs.containsKey(name);
    }

    /** Every float tensor by name, in the order put. */
    public Map<String, Tensor> floats() {
        return Collections.unmodifiableMap(floats);
    }

    public Map<String, int[]> ints() {
        return Collections.unmodifiableMap(ints);
    }

    public Map<String, long[]> longs() {
        return Collections.unmodifiableMap(longs);
    }

    private String checkNew(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a training state entry needs a name");
        }
        if (has(name)) {
            throw new IllegalArgumentException("the training state already has an entry '" + name + "'");
        }
        return name;
    }

    private static void requireLength(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException("the training state's '" + name + "' has " + actual
                    + " values, this run needs " + expected);
        }
    }

    private static IllegalArgumentException missing(String name, String kind) {
        return new IllegalArgumentException("the training state has no " + kind + " '" + name
                + "'; it was saved by another model, optimizer or task");
    }
}
