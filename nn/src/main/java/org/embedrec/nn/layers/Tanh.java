package org.embedrec.nn.layers;

import org.embedrec.nn.Activation;

/** {@code tanh(x)}, as a layer; no parameters. */
public final class Tanh extends ActivationLayer {

    public Tanh() {
        super(Activation.TANH);
    }

    public Tanh(String name) {
        super(name, Activation.TANH);
    }
}
