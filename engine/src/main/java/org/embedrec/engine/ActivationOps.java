package org.embedrec.engine;

/** Element-wise activations; each backward rule uses the forward output where that is cheaper. */
final class ActivationOps {
    private ActivationOps() {}

    /** {@code max(x, 0)}; the gradient passes where {@code x > 0}. */
    static Tensor relu(Tensor x) {
        float[] xs = x.data();
        Tensor out = Tensor.zeros(x.shape());
        float[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.max(xs[i], 0f);
        }
        return GradientTape.record(out, g -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < g.length; i++) {
                if (xs[i] > 0f) {
                    gx[i] += g[i];
                }
            }
        }, x);
    }
}
