package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;

/** Keeps the batch dimension and flattens the rest: {@code [B, d1, d2, ...] -> [B, d1 * d2 * ...]}. */
public final class Flatten extends Layer {
    static final String TYPE = "flatten";

    public Flatten() {
        this(TYPE);
    }

    public Flatten(String name) {
        super(name);
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] shape = input.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this)
                    + "expected input [batch, ...], got a scalar " + Shape.toString(shape));
        }
        if (shape.length == 2) {
            return input;
        }
        int batch = shape[0];
        return Ops.reshape(input, batch, Shape.inner(shape, 0));
    }
}
