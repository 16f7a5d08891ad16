package org.embedrec.nn;

import org.embedrec.engine.Tensor;

/**
 * A module that maps one tensor to one tensor, so it can be a step of a
 * {@link org.embedrec.nn.layers.Sequential} stack. Modules with several inputs extend
 * {@link MergeLayer}; models that take batches of their own kind extend {@link Module}.
 */
public abstract class Layer extends Module {

    protected Layer(String name) {
        super(name);
    }

    /** The output for {@code input}, on the gradient tape when one is open. */
    public abstract Tensor apply(Tensor input);
}
