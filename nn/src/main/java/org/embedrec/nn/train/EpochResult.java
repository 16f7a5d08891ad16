package org.embedrec.nn.train;

import java.util.Map;

/**
 * One epoch of training: the mean training loss over its batches, wall-clock seconds spent
 * training (validation excluded), examples seen, and validation metrics when this epoch was
 * validated (empty otherwise).
 */
public record EpochResult(int epoch, double loss, double seconds, double validationSeconds,
                          long examples, Map<String, Double> validation) {

    public EpochResult {
        validation = Map.copyOf(validation);
    }

    public boolean validated() {
        return !validation.isEmpty();
    }

    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : Double.NaN;
    }
}
