package org.embedrec.nn;

import java.util.List;
import org.embedrec.engine.Tensor;

/** A layer that combines several inputs into one output (concatenation, dot product). */
public abstract class MergeLayer extends Layer {

    protected MergeLayer(String name) {
        super(name);
    }

    public abstract Tensor apply(List<Tensor> inputs);

    public final Tensor apply(Tensor... inputs) {
        return apply(List.of(inputs));
    }

    @Override
    public final Tensor apply(Tensor input) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " '" + name()
                + "' combines two or more inputs; it was given one");
    }
}
