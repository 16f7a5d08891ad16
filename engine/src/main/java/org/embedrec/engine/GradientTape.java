package org.embedrec.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Reverse-mode automatic differentiation: records each op applied while it is open, then
 * walks the records backwards from a scalar to push gradients to the inputs.
 *
 * <p>Ops record themselves through {@link #record}; nothing is recorded unless a tape is open
 * on the current thread and one of the op's inputs needs a gradient. Because ops are recorded
 * in the order they run, the records are already a topological order, and backward is one
 * reverse loop. Gradients accumulate: a tensor used twice receives the sum.
 *
 * <pre>{@code
 * try (GradientTape tape = GradientTape.open()) {
 *     Tensor loss = Ops.mean(Ops.square(Ops.sub(model.apply(x), y)));
 *     tape.backward(loss);
 * }
 * }</pre>
 */
public final class GradientTape implements AutoCloseable {
    private static final ThreadLocal<GradientTape> ACTIVE = new ThreadLocal<>();

    /**
     * Pushes the gradient of an op's output ({@code outGrad}) into its inputs' gradients. The tape
     * is done with {@code outGrad} once the rule returns (the output's gradient is dropped), so a
     * rule may overwrite it as scratch, or hand it to one input as that input's gradient
     * ({@code Tensor.addToGrad}); what it must not do is hand it to two.
     */
    @FunctionalInterface
    public interface Backward {
        void apply(float[] outGrad);
    }

    private record Entry(Tensor output, Backward rule) {}

    private final List<Entry> entries = new ArrayList<>();
    private boolean backwardDone;

    private GradientTape() {}

    /** Opens a tape on this thread; ops record until it is closed. */
    public static GradientTape open() {
        if (ACTIVE.get() != null) {
            throw new IllegalStateException("a gradient tape is already open on this thread");
        }
        GradientTape tape = new GradientTape();
        ACTIVE.set(tape);
        return tape;
    }

    public static boolean isRecording() {
        return ACTIVE.get() != null;
    }

    /**
     * Records that {@code output} was computed from {@code inputs} by an op whose backward
     * rule is {@code rule}. Does nothing when no tape is open or no input needs a gradient;
     * otherwise marks {@code output} as needing one. Returns {@code output}.
     */
    public static Tensor record(Tensor output, Backward rule, Tensor... inputs) {
        GradientTape tape = ACTIVE.get();
        if (tape == null) {
            return output;
        }
        for (Tensor in : inputs) {
            if (in.requiresGrad()) {
                output.requiresGrad(true);
                tape.entries.add(new Entry(output, rule));
                return output;
            }
        }
        return output;
    }

    /** Number of ops recorded so far. */
    public int size() {
        return entries.size();
    }

    /**
     * Back-propagates from {@code loss}, which must have one element, seeding its gradient
     * with 1. Leaf gradients accumulate into what they already hold; intermediate gradients
     * are dropped afterwards. A tape runs backward once.
     */
    public void backward(Tensor loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException(
                    "backward needs a scalar loss, got shape " + Shape.toString(loss.shape()));
        }
        if (backwardDone) {
            throw new IllegalStateException("backward was already run on this tape");
        }
        if (!loss.requiresGrad()) {
            throw new IllegalArgumentException(
                    "the loss does not depend on any tensor that requires a gradient");
        }
        backwardDone = true;
        loss.gradBuffer()[0] += 1f;
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            float[] g = e.output.grad();
            if (g != null) {
                e.rule.apply(g);
            }
            // Intermediates are outputs of recorded ops; their gradient is spent once pushed.
            e.output.dropGrad();
        }
    }

    /** Stops recording on this thread and forgets the records. */
    @Override
    public void close() {
        if (ACTIVE.get() == this) {
            ACTIVE.remove();
        }
        entries.clear();
    }
}
