package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.embedrec.nn.Parameter;

/** Every optimizer minimises {@code f(w) = ||w - c||^2} from random starts. */
class ConvergenceProperties {
    private static final int DIM = 4;
    private static final int STEPS = 1500;
    private static final double TOLERANCE = 0.05;

    record Config(String name, Supplier<Optimizer> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Provide
    Arbitrary<Config> optimizers() {
        return Arbitraries.of(List.of(
                new Config("SGD", () -> new SGD(0.1f)),
                new Config("SGD nesterov", () -> SGD.builder().learningRate(0.02f).momentum(0.9f).nesterov(true).build()),
                new Config("Adagrad", () -> new Adagrad(0.5f)),
                new Config("Adam", () -> new Adam(0.05f)),
                new Config("AdamW", () -> AdamW.builder().learningRate(0.05f).weightDecay(1e-4f).build()),
                new Config("RMSprop", () -> new RMSprop(0.01f)),
                new Config("RMSprop momentum", () -> RMSprop.builder().learningRate(0.005f).momentum(0.5f).build()),
                new Config("Ftrl", () -> new Ftrl(0.5f))));
    }

    @Provide
    Arbitrary<float[]> points() {
        return Arbitraries.floats().between(-3f, 3f).array(float[].class).ofSize(DIM);
    }

    @Property(tries = 40)
    void minimisesAConvexQuadratic(@ForAll("optimizers") Config config,
                                   @ForAll("points") float[] start,
                                   @ForAll("points") float[] target) {
        Parameter w = OptimTesting.dense("w", start);
        Optimizer optimizer = config.factory().get();
        List<Parameter> params = List.of(w);
        for (int step = 0; step < STEPS; step++) {
            float[] g = w.value().gradBuffer();
            float[] x = w.value().data();
            for (int i = 0; i < DIM; i++) {
                g[i] = 2f * (x[i] - target[i]);
            }
            optimizer.step(params);
        }
        assertThat(distance(w.value().data(), target)).isLessThan(TOLERANCE);
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
