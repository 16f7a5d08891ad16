package org.embedrec.bench;

import java.util.concurrent.TimeUnit;
import org.embedrec.engine.GradientTape;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Module;
import org.embedrec.nn.SequenceLayer;
import org.embedrec.nn.layers.GRU;
import org.embedrec.nn.layers.LSTM;
import org.embedrec.nn.layers.MultiHeadAttention;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Forward and backward of one sequence layer over a batch of a sequential recommender's shape:
 * 128 sequences of 50 steps of 64 features, left-padded to random lengths (as histories are), loss
 * {@code mean(y^2)}. {@code layer}: {@code gru} and {@code lstm} of 64 units returning every step
 * (GRU4Rec), {@code attention}: causal self-attention with one head of 64 (SASRec's block without
 * its feed-forward part). Parameter gradients are cleared between calls; no optimizer step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class SequenceLayerStepBenchmark {
    private static final int BATCH = 128;
    private static final int TIME = 50;
    private static final int FEATURES = 64;

    @Param({"gru", "lstm", "attention"})
    public String layer;

    private SequenceLayer model;
    private Tensor x;
    private SequenceMask mask;

    @Setup(Level.Trial)
    public void setUp() {
        Rng rng = new Rng(42);
        model = switch (layer) {
            case "gru" -> GRU.builder(FEATURES, 64).returnSequences(true).build(rng);
            case "lstm" -> LSTM.builder(FEATURES, 64).returnSequences(true).build(rng);
            case "attention" -> MultiHeadAttention.builder(FEATURES, 1, 64).causal(true).build(rng);
            default -> throw new IllegalArgumentException("layer " + layer + ": expected gru, lstm or attention");
        };
        x = Initializer.uniform(-1f, 1f).create(rng, BATCH, TIME, FEATURES).requiresGrad(true);
        int[] lengths = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            lengths[b] = 1 + rng.nextInt(TIME);
        }
        mask = SequenceMask.leftPadded(lengths, TIME);
    }

    @Benchmark
    public float forwardBackward() {
        ((Module) model).zeroGrad();
        x.dropGrad();
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor l = Ops.mean(Ops.square(model.apply(x, mask)));
            loss = l.item();
            tape.backward(l);
        }
        return loss;
    }
}
