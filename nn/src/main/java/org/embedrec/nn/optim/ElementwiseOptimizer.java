package org.embedrec.nn.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.RowSparseGradient;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;

/**
 * An optimizer whose rule updates each scalar from its own gradient and its own slots
 * (momentum, moment estimates, accumulators), which is what lets one rule serve both dense
 * parameters and the touched rows of a sparse table.
 *
 * <p><b>Dense parameters</b> are updated over their whole array, every step they have a
 * gradient (a zero gradient still advances momentum and decays moments).
 *
 * <p><b>Sparse parameters</b> (embedding tables) are updated lazily: only the rows in
 * {@link Tensor#rowGradient()} are read or written, so a step costs time proportional to the
 * touched rows, never to the vocabulary. Slots of untouched rows are not decayed and their
 * momentum is not applied; weight decay reaches only touched rows. A row's slots therefore
 * evolve as if the steps in which it was untouched had not happened, except that
 * step-dependent factors (Adam's bias correction) use this optimizer's global step count, as
 * TensorFlow's LazyAdam does. On rows touched in every step the two paths agree exactly.
 *
 * <p>Slots are allocated once per parameter, lazily on its first step, keyed by the
 * parameter's identity, each the size of the parameter. Hyperparameters are fixed at
 * construction except the learning rate, which {@link #setLearningRate} may change between
 * steps (for a schedule driven by the training loop).
 *
 * <p>With a {@code clipNorm}, the gradients of the parameters given to one {@link #step} are
 * treated as if scaled to that global norm when larger (TensorFlow's {@code global_clipnorm});
 * the gradient buffers themselves are not modified.
 */
public abstract class ElementwiseOptimizer implements Optimizer {

    /** A parameter's slots, and the last validation pass that saw it (to catch duplicates). */
    private static final class State {
        final float[][] slots;
        long mark;

        State(float[][] slots) {
            this.slots = slots;
        }
    }

    private final String kind;
    private final float clipNorm;
    private final Map<Parameter, State> states = new IdentityHashMap<>();
    private float learningRate;
    /**
     * Below this many touched values over all sparse tables of a step, their rows are updated on
     * the calling thread: waking a helper costs more.
     */
    static final int PARALLEL_MIN_VALUES = 16384;
    /** About this many values per chunk of a parallel sparse step (128 rows of 64, or a whole bias table). */
    private static final int PARALLEL_GRAIN_VALUES = 8192;
    /** The sparse tables of the step under way, and its chunks: table, first and end slot. */
    private final List<SparseTable> sparseTables = new ArrayList<>();
    private int[] chunks = new int[3 * 16];
    private int chunkCount;

    /** A sparse table's weights, row gradient and slots, for one step. */
    private record SparseTable(float[] w, RowSparseGradient rows, float[][] slots) {}

    private long iterations;
    private long validations;

    ElementwiseOptimizer(String kind, float learningRate, float clipNorm) {
        this.kind = kind;
        this.learningRate = requirePositive(kind, "learningRate", learningRate);
        if (!(clipNorm >= 0f) || Float.isInfinite(clipNorm)) {
            throw new IllegalArgumentException(
                    kind + " clipNorm must be finite and >= 0 (0 turns clipping off), got " + clipNorm);
        }
        this.clipNorm = clipNorm;
    }

    /** The initial value of each slot, in slot order; the array's length is the slot count. */
    abstract float[] slotInitialValues();

    /** Computes the per-step constants of the rule for step {@code t} (1-based). */
    abstract void beginStep(long t, float lr);

    /**
     * Updates {@code w[wOff .. wOff+n)} and the same range of each slot from the gradient
     * {@code g[gOff .. gOff+n)} multiplied by {@code gradScale}.
     */
    abstract void update(float[] w, int wOff, float[] g, int gOff, int n, float gradScale, float[][] slots);

    @Override
    public final void step(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        validate(parameters);
        float gradScale = 1f;
        if (clipNorm > 0f) {
            double norm = GradientClipping.globalNorm(parameters);
            if (norm > clipNorm && Double.isFinite(norm)) {
                gradScale = (float) (clipNorm / norm);
            }
        }
        long t = ++iterations;
        beginStep(t, learningRate);
        sparseTables.clear();
        // Indexed loops: no iterator allocation per step.
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = parameters.get(i);
            if (!p.hasGradient()) {
                continue;
            }
            float[][] slots = states.get(p).slots;
            Tensor value = p.value();
            float[] w = value.data();
            if (p.isSparse()) {
                sparseTables.add(new SparseTable(w, value.rowGradient(), slots));
            } else {
                update(w, 0, value.grad(), 0, w.length, gradScale, slots);
            }
        }
        updateRows(gradScale);
    }

    /**
     * The update of each row the step's sparse gradients touch, all tables in one parallel loop.
     * Rows are independent (each reads and writes only its own weights and slots), so they are
     * split over threads with the same bits as one thread: a batch's rows are scattered over
     * tables of tens of MB, and the step waits on memory far more than it computes, so two
     * threads keep twice the misses in flight. One loop over every table's chunks wakes the
     * helpers once per step rather than once per table (an mf step has four).
     */
    private void updateRows(float gradScale) {
        long values = 0;
        chunkCount = 0;
        for (int k = 0; k < sparseTables.size(); k++) {
            RowSparseGradient rg = sparseTables.get(k).rows();
            int touched = rg.rowCount();
            values += (long) touched * rg.width();
            int rowsPerChunk = Math.max(1, PARALLEL_GRAIN_VALUES / rg.width());
            for (int from = 0; from < touched; from += rowsPerChunk) {
                addChunk(k, from, Math.min(touched, from + rowsPerChunk));
            }
        }
        if (values < PARALLEL_MIN_VALUES) {
            updateChunks(0, chunkCount, gradScale);
            return;
        }
        Parallel.forRange(chunkCount, 1, (from, to) -> updateChunks(from, to, gradScale));
    }

    private void addChunk(int table, int from, int to) {
        if (3 * (chunkCount + 1) > chunks.length) {
            chunks = Arrays.copyOf(chunks, 2 * chunks.length);
        }
        chunks[3 * chunkCount] = table;
        chunks[3 * chunkCount + 1] = from;
        chunks[3 * chunkCount + 2] = to;
        chunkCount++;
    }

    private void updateChunks(int fromChunk, int toChunk, float gradScale) {
        for (int c = fromChunk; c < toChunk; c++) {
            SparseTable table = sparseTables.get(chunks[3 * c]);
            RowSparseGradient rg = table.rows();
            int width = rg.width();
            float[] gv = rg.values();
            for (int s = chunks[3 * c + 1], end = chunks[3 * c + 2]; s < end; s++) {
                update(table.w(), rg.row(s) * width, gv, s * width, width, gradScale, table.slots());
            }
        }
    }

    /**
     * Checks the whole step before changing anything, so a bad step leaves every parameter
     * and slot as it was; allocates the slots of parameters seen for the first time.
     */
    private void validate(List<Parameter> parameters) {
        long mark = ++validations;
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = Objects.requireNonNull(parameters.get(i), "parameter");
            if (!p.hasGradient()) {
                continue;
            }
            State state = stateOf(p);
            if (state.mark == mark) {
                throw new IllegalArgumentException(
                        "parameter '" + p.name() + "' appears twice in one " + kind + " step");
            }
            state.mark = mark;
            if (p.isSparse()) {
                RowSparseGradient rg = p.value().rowGradient();
                int tableRows = p.value().dim(0);
                for (int s = 0, touched = rg.rowCount(); s < touched; s++) {
                    int row = rg.row(s);
                    if (row < 0 || row >= tableRows) {
                        throw new IllegalArgumentException(
                                "parameter '" + p.name() + "' has a gradient for row " + row
                                        + ", expected a row in [0, " + tableRows + ")");
                    }
                }
            }
        }
    }

    private State stateOf(Parameter p) {
        State state = states.get(p);
        if (state == null) {
            float[] init = slotInitialValues();
            float[][] slots = new float[init.length][];
            int size = p.size();
            for (int k = 0; k < init.length; k++) {
                slots[k] = new float[size];
                if (init[k] != 0f) {
                    Arrays.fill(slots[k], init[k]);
                }
            }
            state = new State(slots);
            states.put(p, state);
        }
        return state;
    }

    /**
     * Saves the step count, the learning rate, the number of slots per parameter (which tells
     * one optimizer's state from another's) and, for each parameter stepped so far, its slots as
     * {@code prefix + path + "/slot" + k}; a parameter never stepped has none, and gets fresh
     * slots on its first step after a restore, as it would have without one.
     */
    @Override
    public void saveState(String prefix, Map<String, Parameter> parameters, TrainingState out) {
        out.putLongs(prefix + "iterations", new long[] {iterations});
        out.putLongs(prefix + "slots_per_parameter", new long[] {slotInitialValues().length});
        out.putFloats(prefix + "learning_rate", Tensor.wrap(new float[] {learningRate}, 1));
        int saved = 0;
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            State state = states.get(e.getValue());
            if (state == null) {
                continue;
            }
            saved++;
            for (int k = 0; k < state.slots.length; k++) {
                out.putFloats(slotName(prefix, e.getKey(), k), Tensor.wrap(state.slots[k], e.getValue().shape()));
            }
        }
        if (saved != states.size()) {
            throw new IllegalStateException(kind + " holds slots of " + (states.size() - saved)
                    + " parameter(s) the model being saved does not have");
        }
    }

    /** Reads every entry before changing anything, so a state that does not fit leaves this optimizer as it was. */
    @Override
    public void restoreState(String prefix, Map<String, Parameter> parameters, TrainingState in) {
        long savedIterations = in.longs(prefix + "iterations", 1)[0];
        float savedRate = in.floats(prefix + "learning_rate", new int[] {1}).data()[0];
        int slotCount = slotInitialValues().length;
        long savedSlots = in.longs(prefix + "slots_per_parameter", 1)[0];
        if (savedSlots != slotCount) {
            throw new IllegalArgumentException("the saved optimizer state has " + savedSlots + " slot(s) per parameter, "
                    + kind + " keeps " + slotCount + "; it was saved by another optimizer");
        }
        Map<Parameter, State> restored = new IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            if (slotCount == 0 || !in.has(slotName(prefix, e.getKey(), 0))) {
                continue; // nothing to restore: no slots, or a parameter not stepped yet
            }
            float[][] slots = new float[slotCount][];
            for (int k = 0; k < slotCount; k++) {
                slots[k] = in.floats(slotName(prefix, e.getKey(), k), e.getValue().shape()).data().clone();
            }
            restored.put(e.getValue(), new State(slots));
        }
        requirePositive(kind, "learningRate", savedRate);
        states.clear();
        states.putAll(restored);
        iterations = savedIterations;
        learningRate = savedRate;
    }

    private static String slotName(String prefix, String path, int k) {
        return prefix + path + "/slot" + k;
    }

    /** The current learning rate. */
    public final float learningRate() {
        return learningRate;
    }

    /** Sets the learning rate used from the next step on; must be finite and positive. */
    public final void setLearningRate(float value) {
        learningRate = requirePositive(kind, "learningRate", value);
    }

    /** The global norm gradients are clipped to in each step, or 0 when clipping is off. */
    public final float clipNorm() {
        return clipNorm;
    }

    /** Number of steps taken (the {@code t} of bias corrections). */
    public final long iterations() {
        return iterations;
    }

    /** Slot {@code index} of {@code p}, live, or null before {@code p}'s first update. */
    final float[] slot(Parameter p, int index) {
        State state = states.get(p);
        return state == null ? null : state.slots[index];
    }

    static float requirePositive(String kind, String field, float value) {
        if (!(value > 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(kind + " " + field + " must be finite and > 0, got " + value);
        }
        return value;
    }

    static float requireNonNegative(String kind, String field, float value) {
        if (!(value >= 0f) || Float.isInfinite(value)) {
            throw new IllegalArgumentException(kind + " " + field + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** A decay rate: in {@code [0, 1)}. */
    static float requireDecay(String kind, String field, float value) {
        if (!(value >= 0f && value < 1f)) {
            throw new IllegalArgumentException(kind + " " + field + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /**
     * Settings shared by every elementwise optimizer; each optimizer's builder adds its own.
     *
     * @param <B> the concrete builder, returned by the setters for chaining
     * @param <O> the optimizer built
     */
    public abstract static class Builder<B extends Builder<B, O>, O extends ElementwiseOptimizer> {
        float learningRate;
        float clipNorm;

        Builder(float defaultLearningRate) {
            this.learningRate = defaultLearningRate;
        }

        abstract B self();

        /** The learning rate; validated by {@link #build()}. */
        public final B learningRate(float value) {
            learningRate = value;
            return self();
        }

        /** Clip each step's gradients to this global norm; 0 (the default) turns clipping off. */
        public final B clipNorm(float value) {
            clipNorm = value;
            return self();
        }

        /** The optimizer; throws IllegalArgumentException naming the first invalid field. */
        public abstract O build();
    }
}
