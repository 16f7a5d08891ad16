package org.embedrec.nn.train;

import java.util.Map;
import java.util.Objects;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.TrainingState;

/**
 * A phase of training that steps one {@code part} of a {@code whole} model with the whole
 * model's loss (Wide &amp; Deep's pre-training of its wide part, then of the rest over it): the
 * trainer and the optimizer see only the part's parameters, while a checkpoint holds the whole
 * model ({@link #wholeModel()}) and the task's own state.
 */
public record PartTask<B>(TrainingTask<B> task, Module part, Module whole) implements TrainingTask<B> {

    public PartTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(part, "part");
        Objects.requireNonNull(whole, "whole");
    }

    @Override
    public Module model() {
        return part;
    }

    @Override
    public Module wholeModel() {
        return whole;
    }

    @Override
    public Tensor loss(B batch) {
        return task.loss(batch);
    }

    @Override
    public Map<String, Double> evaluate(Dataset<B> data) {
        return task.evaluate(data);
    }

    @Override
    public void saveState(String prefix, TrainingState out) {
        task.saveState(prefix, out);
    }

    @Override
    public void restoreState(String prefix, TrainingState in) {
        task.restoreState(prefix, in);
    }
}
