package org.embedrec.nn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.optim.Optimizer;

/**
 * The parts of a running {@link Trainer#fit} that decide what happens next, and so must be in a
 * checkpoint: the whole model's weights and random streams (dropout masks), the optimizer's slots
 * and step counts, the task's and the training examples' own streams (sampled negatives), the
 * callbacks' decisions (early stopping's best weights and count), the order of the examples after
 * the last shuffle and the generator that shuffles the next epoch. Timing is not among them;
 * nothing else a step reads changes from step to step. A phase that trains part of the model
 * ({@link PartTask}) still saves the whole.
 */
final class RunState {
    static final String WEIGHTS = "model/";
    static final String STREAMS = "model_random/";
    static final String OPTIMIZER = "optimizer/";
    static final String TASK = "task/";
    static final String DATA = "data/";
    static final String CALLBACKS = "callbacks/";
    static final String ORDER = "trainer/order";
    static final String SHUFFLER = "trainer/shuffle_random";

    private final TrainingTask<?> task;
    private final Optimizer optimizer;
    private final int[] order;
    private final Rng shuffler;
    private final Dataset<?> examples;
    private final List<Callback> callbacks;

    RunState(TrainingTask<?> task, Optimizer optimizer, int[] order, Rng shuffler, Dataset<?> examples,
             List<Callback> callbacks) {
        this.task = task;
        this.optimizer = optimizer;
        this.order = order;
        this.shuffler = shuffler;
        this.examples = examples;
        this.callbacks = callbacks;
    }

    /** The whole model a checkpoint holds. */
    Module model() {
        return task.wholeModel();
    }

    /** A callback's entries are under its class's name: two callbacks of one kind that both save clash loudly. */
    private static String callbackPrefix(Callback callback) {
        return CALLBACKS + callback.getClass().getSimpleName() + "/";
    }

    /** The state now, holding the live arrays: it must be written before training goes on. */
    TrainingState capture() {
        Module model = model();
        TrainingState out = new TrainingState();
        Map<String, Parameter> parameters = model.namedParameters();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            out.putFloats(WEIGHTS + e.getKey(), e.getValue().value());
        }
        for (Map.Entry<String, Rng> e : model.namedRandomStreams().entrySet()) {
            out.putRng(STREAMS + e.getKey(), e.getValue());
        }
        optimizer.saveState(OPTIMIZER, parameters, out);
        task.saveState(TASK, out);
        examples.saveState(DATA, out);
        for (Callback c : callbacks) {
            c.saveState(callbackPrefix(c), out);
        }
        out.putInts(ORDER, order);
        out.putRng(SHUFFLER, shuffler);
        return out;
    }

    /**
     * Continues from {@code saved}. The weights, streams and order are all read and checked
     * before any is changed, so a state of another model or data set fails with a message and
     * leaves the model as it was; the optimizer, the task, the examples and the callbacks check
     * their own entries.
     */
    void restore(TrainingState saved) {
        Module model = model();
        Map<String, Parameter> parameters = model.namedParameters();
        Map<Parameter, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            weights.put(e.getValue(), saved.floats(WEIGHTS + e.getKey(), e.getValue().shape()));
        }
        Map<Rng, long[]> streams = new LinkedHashMap<>();
        for (Map.Entry<String, Rng> e : model.namedRandomStreams().entrySet()) {
            streams.put(e.getValue(), saved.longs(STREAMS + e.getKey(), 2));
        }
        int[] savedOrder = saved.ints(ORDER, order.length);
        requirePermutation(savedOrder);
        long[] savedShuffler = saved.longs(SHUFFLER, 2);

        optimizer.restoreState(OPTIMIZER, parameters, saved);
        task.restoreState(TASK, saved);
        examples.restoreState(DATA, saved);
        for (Callback c : callbacks) {
            c.restoreState(callbackPrefix(c), saved);
        }
        for (Map.Entry<Parameter, Tensor> e : weights.entrySet()) {
            float[] target = e.getKey().value().data();
            System.arraycopy(e.getValue().data(), 0, target, 0, target.length);
        }
        streams.forEach(Rng::restoreState);
        System.arraycopy(savedOrder, 0, order, 0, order.length);
        shuffler.restoreState(savedShuffler);
    }

    /** The saved order must name every example once, or batches would read outside the data. */
    private static void requirePermutation(int[] values) {
        boolean[] seen = new boolean[values.length];
        for (int v : values) {
            if (v < 0 || v >= values.length || seen[v]) {
                throw new IllegalArgumentException("the training state's '" + ORDER + "' is not an order of the "
                        + values.length + " training examples");
            }
            seen[v] = true;
        }
    }

    /** The path of a parameter holding a NaN or an infinity, or null when every weight is finite. */
    static String firstNonFinite(Module model) {
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            for (float v : e.getValue().value().data()) {
                if (!Float.isFinite(v)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }
}
