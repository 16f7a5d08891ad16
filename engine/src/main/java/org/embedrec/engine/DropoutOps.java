package org.embedrec.engine;

/**
 * Inverted dropout: each element is kept with probability {@code 1 - rate} and scaled by
 * {@code 1 / (1 - rate)}, so the expected output equals the input and nothing needs rescaling
 * at inference time. The backward rule multiplies by the same mask.
 */
final class DropoutOps {
    private DropoutOps() {}

    static Tensor dropout(Tensor x, float rate, Rng rng) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("dropout: " + Shape.toString(x.shape()) + ": rate " + rate
                    + " is outside [0, 1)");
        }
        if (rng == null) {
            throw new IllegalArgumentException("dropout: " + Shape.toString(x.shape())
                    + ": expected a random number generator, got null");
        }
        if (rate == 0f) {
            return x;
        }
        float keep = 1f / (1f - rate);
        float[] xs = x.data();
        // The mask holds 0 or 1/(1-rate) per element: the forward and backward factor at once.
        float[] mask = new float[xs.length];
        Tensor out = Tensor.zeros(x.shape());
        float[] y = out.data();
        for (int i = 0; i < y.length; i++) {
            float m = rng.nextFloat() < rate ? 0f : keep;
            mask[i] = m;
            y[i] = xs[i] * m;
        }
        return GradientTape.record(out, g -> {
            for (int i = 0; i < g.length; i++) {
                g[i] = g[i] * mask[i];
            }
            x.addToGrad(g);
        }, x);
    }
}
