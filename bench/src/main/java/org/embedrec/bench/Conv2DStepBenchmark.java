package org.embedrec.bench;

import java.util.concurrent.TimeUnit;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.layers.Conv2D;
import org.embedrec.nn.layers.Padding;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward and backward of one 3x3 {@code same} relu convolution (im2col and SGEMM), loss
 * {@code mean(y^2)}. {@code shape} is {@code batch x height x width x channels -> filters}:
 * {@code 32x8x8x1-32} and {@code 32x4x4x32-64}, the two convolutions of the digits example at its
 * batch size, and {@code 64x32x32x16-32}, a CIFAR-sized middle layer. Parameter and input gradients
 * are cleared between calls; no optimizer step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class Conv2DStepBenchmark {

    @Param({"32x8x8x1-32", "32x4x4x32-64", "64x32x32x16-32"})
    public String shape;

    private Conv2D conv;
    private Tensor x;

    @Setup
    public void setUp() {
        String[] parts = shape.split("-");
        String[] dims = parts[0].split("x");
        int batch = Integer.parseInt(dims[0]);
        int height = Integer.parseInt(dims[1]);
        int width = Integer.parseInt(dims[2]);
        int channels = Integer.parseInt(dims[3]);
        int filters = Integer.parseInt(parts[1]);
        Rng rng = new Rng(42);
        conv = Conv2D.builder(channels, filters, 3, 3).padding(Padding.SAME).activation(Activation.RELU).build(rng);
        x = Initializer.uniform(-1f, 1f).create(rng, batch, height, width, channels).requiresGrad(true);
    }

    @Benchmark
    public float forwardBackward() {
        conv.zeroGrad();
        x.dropGrad();
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = Ops.mean(Ops.square(conv.apply(x)));
            loss = l.item();
            tape.backward(l);
        }
        return loss;
    }
}
