package org.embedrec.models;

import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Sequential;

/**
 * The dense stack on top of a tower's concatenated features, as the tutorial builds it:
 * {@code Dense(sizes[0], relu) -> ... -> Dense(sizes[last])}, relu on all but the last layer so
 * the embedding the tower outputs can take any sign. Keras initialisers (Glorot-uniform
 * kernels, zero biases).
 *
 * <p>Public because the two-tower preset's towers ({@code models.retrieval}) build the same stack
 * as {@link FeatureTower}.
 */
public final class TowerLayers {
    private TowerLayers() {}

    /** The stack over {@code inputDim} columns, one dense layer per entry of {@code sizes}, weights from {@code rng}. */
    public static Sequential build(int inputDim, List<Integer> sizes, Rng rng) {
        Sequential stack = new Sequential("dense_layers");
        int width = inputDim;
        for (int i = 0; i < sizes.size(); i++) {
            boolean last = i == sizes.size() - 1;
            stack.add(Dense.builder(width, sizes.get(i)).activation(last ? Activation.LINEAR : Activation.RELU).build(rng));
            width = sizes.get(i);
        }
        return stack;
    }
}
