package org.embedrec.nn.layers;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.MergeLayer;

/**
 * Joins two or more inputs along one axis (the last by default); all other dimensions must
 * agree. The usual way to feed several feature embeddings into one dense tower.
 */
public final class Concatenate extends MergeLayer {
    static final String TYPE = "concatenate";

    private final int axis;

    /** Concatenation along the last axis. */
    public Concatenate() {
        this(TYPE, -1);
    }

    /** Concatenation along {@code axis}; negative axes count from the end. */
    public Concatenate(int axis) {
        this(TYPE, axis);
    }

    public Concatenate(String name, int axis) {
        super(name);
        this.axis = axis;
    }

    public int axis() {
        return axis;
    }

    @Override
    public Tensor apply(List<Tensor> inputs) {
        String where = LayerChecks.where(TYPE, this);
        if (inputs.size() < 2) {
            throw new IllegalArgumentException(where + "needs at least two inputs, got " + inputs.size());
        }
        int[] first = inputs.get(0).shape();
        if (axis < -first.length || axis >= first.length) {
            throw new IllegalArgumentException(where + "axis " + axis + " is out of range for input 0 of shape "
                    + Shape.toString(first));
        }
        int a = Shape.axis(axis, first.length);
        for (int i = 1; i < inputs.size(); i++) {
            int[] s = inputs.get(i).shape();
            boolean agree = s.length == first.length;
            for (int d = 0; agree && d < s.length; d++) {
                agree = d == a || s[d] == first[d];
            }
            if (!agree) {
                throw new IllegalArgumentException(where + "input " + i + " has shape " + Shape.toString(s)
                        + ", input 0 has " + Shape.toString(first) + ": all dimensions but axis " + axis
                        + " must agree");
            }
        }
        return Ops.concat(axis, inputs.toArray(new Tensor[0]));
    }
}
