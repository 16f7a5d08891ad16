package org.embedrec.nn.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;

/**
 * A stack of single-input layers applied in order. The layers are children, so parameters
 * appear under their paths ({@code "dense/kernel"}, {@code "dense_1/kernel"}) and training
 * mode reaches every one. Only {@link Layer}s can be steps: a merge layer has no one-input form.
 */
public final class Sequential extends Layer {
    static final String TYPE = "sequential";

    private final List<Layer> layers = new ArrayList<>();

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
        if (layer == this || layers.contains(layer)) {
            throw new IllegalArgumentException(where + "layer '" + layer.name() + "' is already in the stack");
        }
        layers.add(addChild(layer));
        return this;
    }

    /** The layers in the order they are applied. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor apply(Tensor input) {
        Tensor x = input;
        for (Layer layer : layers) {
            x = layer.apply(x);
        }
        return x;
    }
}
