package org.embedrec.models.rating;

import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Sequential;

/**
 * The dense head the neural rating models share: hidden relu layers, optional dropout, one
 * linear output. (The head of {@link DotMlp}, which starts as the identity map, is
 * {@link org.embedrec.models.IdentityStartMlp}.)
 */
final class DenseStack {
    private DenseStack() {}

    /** {@code inputDim -> hidden[0] (relu) -> ... -> 1 (linear)}, dropout after each hidden layer when {@code dropout > 0}. */
    static Sequential build(String name, int inputDim, List<Integer> hidden, float dropout, Rng rng) {
        Sequential stack = new Sequential(name);
        int width = inputDim;
        for (int units : hidden) {
            stack.add(Dense.builder(width, units).activation(Activation.RELU).build(rng));
            if (dropout > 0f) {
                stack.add(new Dropout(dropout, rng));
            }
            width = units;
        }
        stack.add(Dense.builder(width, 1).name("output").build(rng));
        return stack;
    }
}
