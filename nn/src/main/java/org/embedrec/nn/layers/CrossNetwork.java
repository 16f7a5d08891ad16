package org.embedrec.nn.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;

/**
 * The cross network of DCN-v2: {@code numLayers} {@link Cross} layers over one input,
 * {@code x_{l+1} = cross_l(x0, x_l)} with {@code x_0} the input, so the output of
 * {@code L} layers holds feature interactions up to degree {@code L + 1}. The layers are
 * children named {@code "cross"}, {@code "cross_1"}, ..., with paths such as
 * {@code "cross_1/dense/kernel"}. Input and output are {@code [..., inputDim]}.
 */
public final class CrossNetwork extends Layer {
    static final String TYPE = "cross_network";

    private final int inputDim;
    private final List<Cross> layers = new ArrayList<>();

    /**
     * A stack of cross layers named "cross_network"; {@code projectionDim} 0 for full-rank
     * kernels, else the rank of each kernel's factors.
     */
    public CrossNetwork(int inputDim, int numLayers, int projectionDim, boolean useBias, Rng rng) {
        this(TYPE, inputDim, numLayers, projectionDim, useBias, rng);
    }

    public CrossNetwork(String name, int inputDim, int numLayers, int projectionDim, boolean useBias, Rng rng) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "inputDim", inputDim);
        LayerChecks.positive(where, "numLayers", numLayers);
        if (projectionDim < 0) {
            throw new IllegalArgumentException(where + "projectionDim must be positive, or 0 for full-rank "
                    + "kernels, got " + projectionDim);
        }
        LayerChecks.notNull(where, "rng", rng);
        this.inputDim = inputDim;
        for (int i = 0; i < numLayers; i++) {
            layers.add(addChild(Cross.builder(inputDim).projectionDim(projectionDim).useBias(useBias).build(rng)));
        }
    }

    @Override
    public Tensor apply(Tensor input) {
        int[] shape = input.shape();
        if (shape.length == 0 || shape[shape.length - 1] != inputDim) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected input [..., " + inputDim
                    + "], got " + Shape.toString(shape));
        }
        Tensor x = input;
        for (Cross cross : layers) {
            x = cross.apply(input, x);
        }
        return x;
    }

    public int inputDim() {
        return inputDim;
    }

    /** The cross layers in the order they are applied. */
    public List<Cross> layers() {
        return Collections.unmodifiableList(layers);
    }
}
