package org.embedrec.nn.losses;

import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;

/** Inputs and one backward pass for the loss tests. */
final class LossFixtures {
    private LossFixtures() {}

    /** Values uniform in {@code [lo, hi)}, requiring a gradient. */
    static Tensor uniform(Rng rng, float lo, float hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.uniform(lo, hi);
        }
        return t.requiresGrad(true);
    }

    /** Random class ids in {@code [0, classes)} stored as floats, shape {@code [batch]}. */
    static Tensor classIds(Rng rng, int batch, int classes) {
        float[] ids = new float[batch];
        for (int i = 0; i < batch; i++) {
            ids[i] = rng.nextInt(classes);
        }
        return Tensor.wrap(ids, batch);
    }

    /** Runs backward from {@code loss.compute(predictions, targets)}; returns the loss value. */
    static float backward(Loss loss, Tensor predictions, Tensor targets) {
        predictions.dropGrad();
        try (GradientTape tape = GradientTape.open()) {
            Tensor value = loss.compute(predictions, targets);
            tape.backward(value);
            return value.item();
        }
    }
}
