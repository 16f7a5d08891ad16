package org.embedrec.models.sequential;

import java.util.List;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;

/**
 * Validation-based early stopping for a next-item model: after each validated epoch, keeps a copy
 * of the parameters if the validation {@link #METRIC} is the best so far, stops training once
 * {@code patience} validations in a row have not beaten it, and when training ends puts the best
 * copy back, so the model is the one of its best validated epoch (SASRec's authors pick their
 * reported epoch the same way). Validation is every epoch the trainer validates; unvalidated
 * epochs count for nothing.
 */
final class BestValidatedWeights implements Callback {
    /** The validation metric watched: the full-ranking NDCG@10 of the held-out validation items. */
    static final String METRIC = "ndcg@10";

    private final List<Parameter> parameters;
    private final float[][] best;
    private final int patience;
    private double bestValue = Double.NEGATIVE_INFINITY;
    private int bestEpoch;
    private int stale;

    BestValidatedWeights(Module model, int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 validation, got " + patience);
        }
        this.parameters = model.parameters();
        this.best = new float[parameters.size()][];
        this.patience = patience;
    }

    @Override
    public boolean onEpochEnd(EpochResult result) {
        Double value = result.validation().get(METRIC);
        if (!result.validated() || value == null) {
            return true;
        }
        if (value > bestValue) {
            bestValue = value;
            bestEpoch = result.epoch();
            stale = 0;
            for (int i = 0; i < best.length; i++) {
                best[i] = parameters.get(i).value().data().clone();
            }
            return true;
        }
        return ++stale < patience;
    }

    @Override
    public void onTrainEnd(History history) {
        if (bestEpoch == 0) {
            return;
        }
        for (int i = 0; i < best.length; i++) {
            float[] target = parameters.get(i).value().data();
            System.arraycopy(best[i], 0, target, 0, target.length);
        }
    }

    /** The epoch whose parameters the model ends with; 0 when no epoch was validated. */
    int bestEpoch() {
        return bestEpoch;
    }

    double bestValue() {
        return bestValue;
    }
}
