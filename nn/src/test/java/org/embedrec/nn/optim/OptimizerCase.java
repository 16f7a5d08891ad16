package org.embedrec.nn.optim;

import java.util.List;
import java.util.function.Supplier;

/**
 * An optimizer configuration under test, with whether a dense parameter's zero-gradient rows
 * still move under it (so the lazy sparse path visibly differs from the dense one there).
 */
record OptimizerCase(String name, Supplier<ElementwiseOptimizer> factory, boolean denseZeroGradientMoves) {

    ElementwiseOptimizer create() {
        return factory.get();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Every optimizer, with its less common options switched on. */
    static List<OptimizerCase> all() {
        return List.of(
                new OptimizerCase("SGD", () -> new SGD(0.1f), false),
                new OptimizerCase("SGD momentum nesterov weightDecay",
                        () -> SGD.builder().learningRate(0.1f).momentum(0.9f).nesterov(true).weightDecay(0.01f).build(),
                        true),
                new OptimizerCase("Adagrad", () -> new Adagrad(0.1f), false),
                new OptimizerCase("Adam", () -> new Adam(0.05f), true),
                new OptimizerCase("Adam clipNorm", () -> Adam.builder().learningRate(0.05f).clipNorm(0.5f).build(), true),
                new OptimizerCase("AdamW", () -> AdamW.builder().learningRate(0.05f).weightDecay(0.1f).build(), true),
                new OptimizerCase("RMSprop", () -> new RMSprop(0.01f), false),
                new OptimizerCase("RMSprop momentum centered",
                        () -> RMSprop.builder().learningRate(0.01f).momentum(0.5f).centered(true).build(), true),
                new OptimizerCase("Ftrl", () -> Ftrl.builder().learningRate(0.1f).l1(0.01f).l2(0.01f).build(), false));
    }
}
