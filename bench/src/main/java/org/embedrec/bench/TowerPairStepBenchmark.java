package org.embedrec.bench;

import java.util.ArrayList;
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
import org.embedrec.nn.optim.Adagrad;
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
 * The towers of one two-tower retrieval step, as the MovieLens model runs them: batch 2048, a
 * query tower Dense 65 -> 64 (relu) -> 32 and a candidate tower Dense 64 -> 64 (relu) -> 32 on
 * fixed inputs (standing in for the concatenated embeddings), forward, backward and Adagrad.
 * The loss is a cheap stand-in, {@code sum_i q_i . c_i}, which sends a dense gradient into both
 * towers as the in-batch softmax does, so the time is the towers' own; an epoch of MovieLens
 * 100K's 80K training ratings is 40 such steps plus the in-batch softmax over the
 * {@code [2048, 2048]} logits and the embedding lookups with their sparse updates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class TowerPairStepBenchmark {
    private static final int BATCH = 2048;

    private Sequential queryTower;
    private Sequential candidateTower;
    private List<Parameter> params;
    private Adagrad adagrad;
    private Tensor queryInput;
    private Tensor candidateInput;

    @Setup
    public void setUp() {
        Rng rng = new Rng(7);
        queryTower = new Sequential("query",
                new Dense(65, 64, Activation.RELU, rng),
                new Dense(64, 32, Activation.LINEAR, rng));
        candidateTower = new Sequential("candidate",
                new Dense(64, 64, Activation.RELU, rng),
                new Dense(64, 32, Activation.LINEAR, rng));
        params = new ArrayList<>(queryTower.parameters());
        params.addAll(candidateTower.parameters());
        adagrad = new Adagrad(0.1f);
        queryInput = Initializer.uniform(-1f, 1f).create(rng, BATCH, 65);
        candidateInput = Initializer.uniform(-1f, 1f).create(rng, BATCH, 64);
    }

    @Benchmark
    public float step() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
        float loss;
        try (GradientTape tape = GradientTape.open()) {
            Tensor q = queryTower.apply(queryInput);
            Tensor c = candidateTower.apply(candidateInput);
            Tensor l = Ops.sum(Ops.dot(q, c));
            loss = l.item();
            tape.backward(l);
        }
        adagrad.step(params);
        return loss;
    }
}
