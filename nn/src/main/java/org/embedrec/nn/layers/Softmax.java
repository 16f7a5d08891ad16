package org.embedrec.nn.layers;

import org.embedrec.nn.Activation;

/** {@code exp(x) / sum(exp(x))} over the last axis, computed stably, as a layer; no parameters. */
public final class Softmax extends ActivationLayer {

    public Softmax() {
        super(Activation.SOFTMAX);
    }

    public Softmax(String name) {
        super(name, Activation.SOFTMAX);
    }
}
