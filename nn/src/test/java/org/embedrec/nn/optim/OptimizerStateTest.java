package org.embedrec.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An optimizer saved after some steps and restored into a new instance goes on exactly as the
 * one that never stopped: the same weights, bit for bit, on a dense parameter and on a sparse
 * table with rows touched in some steps only.
 */
class OptimizerStateTest {
    private static final int STEPS = 6;
    private static final int SAVED_AFTER = 3;

    /** A dense vector and a sparse table of 5 rows; row 4 is never touched before the save. */
    private static Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        out.put("dense/kernel", OptimTesting.dense("kernel", 0.5f, -0.25f, 1f));
        out.put("table/embeddings", OptimTesting.sparseTable("embeddings", 5, 2,
                new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1f}));
        return out;
    }

    /** The gradients of step {@code t}: a seeded dense gradient, and rows {t % 3, (t + 1) % 4} of the table (row 4 from step 4 on). */
    private static void setGradients(Map<String, Parameter> ps, int t) {
        Rng rng = new Rng(1000 + t);
        Parameter dense = ps.get("dense/kernel");
        dense.zeroGrad();
        OptimTesting.setGrad(dense, rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1));
        Parameter table = ps.get("table/embeddings");
        table.zeroGrad();
        OptimTesting.addRowGrad(table, t % 3, rng.uniform(-1, 1), rng.uniform(-1, 1));
        OptimTesting.addRowGrad(table, t >= 4 ? 4 : (t + 1) % 4, rng.uniform(-1, 1), rng.uniform(-1, 1));
    }

    private static void run(Optimizer optimizer, Map<String, Parameter> ps, int from, int to) {
        List<Parameter> list = List.copyOf(ps.values());
        for (int t = from; t < to; t++) {
            setGradients(ps, t);
            optimizer.step(list);
        }
    }

    /** What a checkpoint file does to the live arrays a state holds: copies them. */
    private static TrainingState copied(TrainingState live) {
        TrainingState copy = new TrainingState();
        live.floats().forEach((k, v) -> copy.putFloats(k, Tensor.wrap(v.data().clone(), v.shape())));
        live.ints().forEach((k, v) -> copy.putInts(k, v.clone()));
        live.longs().forEach((k, v) -> copy.putLongs(k, v.clone()));
        return copy;
    }

    static List<OptimizerCase> cases() {
        return OptimizerCase.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRestoredOptimizerContinuesBitForBit(OptimizerCase c) {
        Map<String, Parameter> reference = parameters();
        run(c.create(), reference, 0, STEPS);

        Map<String, Parameter> interrupted = parameters();
        ElementwiseOptimizer before = c.create();
        run(before, interrupted, 0, SAVED_AFTER);
        TrainingState saved = new TrainingState();
        before.saveState("optimizer/", interrupted, saved);
        TrainingState file = copied(saved);
        Map<String, Parameter> resumed = parameters();
        copyWeights(interrupted, resumed);
        run(before, interrupted, SAVED_AFTER, SAVED_AFTER + 1); // the copy must not follow the live optimizer

        ElementwiseOptimizer after = c.create();
        after.restoreState("optimizer/", resumed, file);
        assertThat(after.iterations()).isEqualTo(SAVED_AFTER);
        run(after, resumed, SAVED_AFTER, STEPS);

        for (String name : reference.keySet()) {
            assertThat(resumed.get(name).value().data()).as(name)
                    .containsExactly(reference.get(name).value().data());
        }
    }

    /** The weights a checkpoint holds beside the optimizer's state. */
    private static void copyWeights(Map<String, Parameter> from, Map<String, Parameter> to) {
        for (String name : from.keySet()) {
            System.arraycopy(from.get(name).value().data(), 0, to.get(name).value().data(), 0, from.get(name).size());
        }
    }

    @Test
    void aTableRowNeverSteppedHasNoSlotsAndNoneAreInvented() {
        Map<String, Parameter> ps = parameters();
        Adam adam = new Adam(0.1f);
        List<Parameter> onlyDense = List.of(ps.get("dense/kernel"));
        setGradients(ps, 0);
        adam.step(onlyDense);
        TrainingState saved = new TrainingState();
        adam.saveState("opt/", ps, saved);
        assertThat(saved.floats()).containsOnlyKeys("opt/learning_rate", "opt/dense/kernel/slot0",
                "opt/dense/kernel/slot1");
        assertThat(saved.longs("opt/iterations", 1)).containsExactly(1L);
    }

    @Test
    void theStateOfAnotherOptimizerIsRefusedAndLeavesThisOneAsItWas() {
        Map<String, Parameter> ps = parameters();
        Adam adam = new Adam(0.1f);
        run(adam, ps, 0, 2);
        TrainingState saved = new TrainingState();
        adam.saveState("optimizer/", ps, saved);

        Adagrad adagrad = new Adagrad(0.1f);
        run(adagrad, ps, 0, 1);
        assertThatThrownBy(() -> adagrad.restoreState("optimizer/", ps, saved))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the saved optimizer state has 2 slot(s) per parameter, Adagrad keeps 1");
        assertThat(adagrad.iterations()).isEqualTo(1);

        Map<String, Parameter> wider = parameters();
        wider.put("dense/kernel", OptimTesting.dense("kernel", 1f, 2f));
        assertThatThrownBy(() -> new Adam(0.1f).restoreState("optimizer/", wider, saved))
                .hasMessageContaining("'optimizer/dense/kernel/slot0' has shape [3], this run needs [2]");
    }

    @Test
    void aMultiOptimizerSavesEachGroupUnderItsOwnName() {
        Map<String, Parameter> reference = parameters();
        Map<String, Parameter> resumed = parameters();
        MultiOptimizer first = twoGroups(reference);
        run(first, reference, 0, SAVED_AFTER);
        TrainingState saved = new TrainingState();
        first.saveState("optimizer/", reference, saved);
        TrainingState file = copied(saved);
        copyWeights(reference, resumed);
        run(first, reference, SAVED_AFTER, STEPS);

        MultiOptimizer second = twoGroups(resumed);
        second.restoreState("optimizer/", resumed, file);
        run(second, resumed, SAVED_AFTER, STEPS);
        assertThat(file.floats()).containsKeys("optimizer/group_0/table/embeddings/slot1",
                "optimizer/group_1/dense/kernel/slot0");
        for (String name : reference.keySet()) {
            assertThat(resumed.get(name).value().data()).as(name).containsExactly(reference.get(name).value().data());
        }
    }

    private static MultiOptimizer twoGroups(Map<String, Parameter> ps) {
        return MultiOptimizer.builder()
                .add(List.of(ps.get("table/embeddings")), Ftrl.builder().learningRate(0.1f).l1(0.01f).build())
                .add(List.of(ps.get("dense/kernel")), SGD.builder().learningRate(0.1f).momentum(0.9f).build())
                .build();
    }
}
