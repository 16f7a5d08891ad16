package org.embedrec.nn.layers;

import org.embedrec.nn.Activation;

/** {@code max(x, 0)}, as a layer; no parameters. */
public final class ReLU extends ActivationLayer {

    public ReLU() {
        super(Activation.RELU);
    }

    public ReLU(String name) {
        super(name, Activation.RELU);
    }
}
