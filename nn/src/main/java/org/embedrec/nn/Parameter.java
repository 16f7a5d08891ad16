package org.embedrec.nn;

import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;

/**
 * A trainable tensor with a name. Its gradient is dense, or, for an embedding table, the
 * set of rows looked up in the step ({@link #isSparse()}), which every optimizer updates
 * without touching the rest of the table.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;

    public Parameter(String name, Tensor value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        this.name = name;
        this.value = value.requiresGrad(true);
    }

    public String name() {
        return name;
    }

    /** The live tensor: optimizers update its data in place. */
    public Tensor value() {
        return value;
    }

    public boolean isSparse() {
        return value.hasSparseGradient();
    }

    public int[] shape() {
        return value.shape();
    }

    public int size() {
        return value.size();
    }

    /** True when the last backward pass left a gradient on this parameter. */
    public boolean hasGradient() {
        return isSparse() ? value.rowGradient().rowCount() > 0 : value.grad() != null;
    }

    public void zeroGrad() {
        value.zeroGrad();
    }

    @Override
    public String toString() {
        return name + Shape.toString(value.shape()) + (isSparse() ? " (sparse)" : "");
    }
}
