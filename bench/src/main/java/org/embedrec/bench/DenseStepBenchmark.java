package org.embedrec.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.optim.Adam;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step of a dense tower as the two-tower model uses it: batch 2048,
 * Dense 96 -> 64 (relu) -> 32, mean squared error against a fixed target, backward, Adam.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class DenseStepBenchmark {
    private static final int BATCH = 2048;

    private Sequential model;
    private List<Parameter> params;
    private Adam adam;
    private Tensor x;
    private Tensor target;

    @Setup
    public void setUp() {
        Rng rng = new Rng(42);
        model = new Sequential("tower",
                new Dense(96, 64, Activation.RELU, rng),
                new Dense(64, 32, Activation.LINEAR, rng));
        params = model.parameters();
        adam = new Adam(1e-3f);
        x = Initializer.uniform(-1f, 1f).create(rng, BATCH, 96);
        target = Initializer.uniform(-1f, 1f).create(rng, BATCH, 32);
    }

    @Benchmark
    public float step() {
        model.zeroGrad();
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = Ops.mean(Ops.square(Ops.sub(model.apply(x), target)));
            loss = l.item();
            tape.backward(l);
        }
        adam.step(params);
        return loss;
    }
}
