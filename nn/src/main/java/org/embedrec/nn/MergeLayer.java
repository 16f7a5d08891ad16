package org.embedrec.nn;

import java.util.List;
import org.embedrec.engine.Tensor;

/**
 * A module that combines several input tensors into one output (concatenation, dot product,
 * a cross layer of {@code x0} and {@code x}). It is not a {@link Layer}: it has no
 * single-input form, so it cannot be a step of a sequential stack.
 */
public abstract class MergeLayer extends Module {

    protected MergeLayer(String name) {
        super(name);
    }

    /** The output for {@code inputs}; each layer states how many it takes and of which shapes. */
    public abstract Tensor apply(List<Tensor> inputs);

    public final Tensor apply(Tensor... inputs) {
        return apply(List.of(inputs));
    }
}
