package org.embedrec.nn.layers;

import org.embedrec.nn.Activation;

/** {@code 1 / (1 + exp(-x))}, as a layer; no parameters. */
public final class Sigmoid extends ActivationLayer {

    public Sigmoid() {
        super(Activation.SIGMOID);
    }

    public Sigmoid(String name) {
        super(name, Activation.SIGMOID);
    }
}
