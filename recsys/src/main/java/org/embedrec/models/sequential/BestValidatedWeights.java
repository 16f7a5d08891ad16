package org.embedrec.models.sequential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;
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

    private final List<String> names;
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
        Map<String, Parameter> named = model.namedParameters();
        this.names = new ArrayList<>(named.keySet());
        this.parameters = new ArrayList<>(named.values());
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

    @Override
    public void saveState(String prefix, TrainingState out) {
        out.putLongs(prefix + "best_bits_epoch_stale",
                new long[] {Double.doubleToRawLongBits(bestValue), bestEpoch, stale});
        if (bestEpoch > 0) {
            for (int i = 0; i < best.length; i++) {
                out.putFloats(prefix + "weights/" + names.get(i), Tensor.wrap(best[i], parameters.get(i).shape()));
            }
        }
    }

    /** Reads every entry before changing anything, so a state of another model leaves this one as it was. */
    @Override
    public void restoreState(String prefix, TrainingState in) {
        long[] saved = in.longs(prefix + "best_bits_epoch_stale", 3);
        if (saved[1] < 0 || saved[1] > Integer.MAX_VALUE || saved[2] < 0 || saved[2] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the training state's '" + prefix + "best_bits_epoch_stale' holds a "
                    + "negative or too large epoch or count");
        }
        float[][] weights = new float[best.length][];
        if (saved[1] > 0) {
            for (int i = 0; i < best.length; i++) {
                weights[i] = in.floats(prefix + "weights/" + names.get(i), parameters.get(i).shape()).data().clone();
            }
        }
        bestValue = Double.longBitsToDouble(saved[0]);
        bestEpoch = (int) saved[1];
        stale = (int) saved[2];
        System.arraycopy(weights, 0, best, 0, best.length);
    }

    /** The epoch whose parameters the model ends with; 0 when no epoch was validated. */
    int bestEpoch() {
        return bestEpoch;
    }

    double bestValue() {
        return bestValue;
    }
}
