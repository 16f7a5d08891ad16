package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;

/**
 * Inverted dropout: while training, each element is zeroed with probability {@code rate} and
 * the survivors are scaled by {@code 1 / (1 - rate)}, so the expected output equals the input
 * and inference is the identity. The masks come from the layer's own stream, split from the
 * {@link Rng} it was built with, so one seed gives one sequence of masks.
 */
public final class Dropout extends Layer {
    static final String TYPE = "dropout";

    private final float rate;
    private final Rng rng;

    public Dropout(double rate, Rng rng) {
        this(TYPE, rate, rng);
    }

    public Dropout(String name, double rate, Rng rng) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(where + "rate must be in [0, 1), got " + rate);
        }
        LayerChecks.notNull(where, "rng", rng);
        this.rate = (float) rate;
        this.rng = addRandomStream("masks", rng.split());
    }

    public float rate() {
        return rate;
    }

    @Override
    public Tensor apply(Tensor input) {
        if (!isTraining() || rate == 0f) {
            return input;
        }
        return Ops.dropout(input, rate, rng);
    }
}
