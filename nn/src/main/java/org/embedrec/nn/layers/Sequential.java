package org.embedrec.nn.layers;

import java.util.List;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;
import org.embedrec.nn.MergeLayer;

/**
 * A stack of single-input layers applied in order. The layers are children, so parameters
 * appear under their paths ({@code "dense/kernel"}, {@code "dense_1/kernel"}) and training
 * mode reaches every one.
 */
public final class Sequential extends Layer {
    static final String TYPE = "sequential";

    public Sequential(Layer... layers) {
        this(TYPE, layers);
    }

    public Sequential(String name, Layer... layers) {
        super(name);
        for (Layer layer : layers) {
            add(layer);
        }
    }

    /** Appends {@code layer} to the stack; returns this. */
    public Sequential add(Layer layer) {
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.notNull(where, "layer", layer);
        if (layer instanceof MergeLayer) {
            throw new IllegalArgumentException(where + "layer '" + layer.name()
                    + "' combines several inputs and cannot be a step of a sequential stack");
        }
        if (layer == this || children().contains(layer)) {
            throw new IllegalArgumentException(where + "layer '" + layer.name() + "' is already in the stack");
        }
        addChild(layer);
        return this;
    }

    /** The layers in the order they are applied. */
    public List<Layer> layers() {
        return children();
    }

    @Override
    public Tensor apply(Tensor input) {
        Tensor x = input;
        for (Layer layer : children()) {
            x = layer.apply(x);
        }
        return x;
    }
}
