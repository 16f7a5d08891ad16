package org.embedrec.models.sequential;

import java.util.Locale;

/**
 * How a next-item model is trained at each real step of a sequence:
 * <ul>
 *   <li>{@link #SOFTMAX}: cross-entropy of the softmax over the whole catalogue;</li>
 *   <li>{@link #SAMPLED_SOFTMAX}: the softmax over the batch's distinct targets plus uniformly
 *       drawn items, each logit lowered by the log of its training frequency (log-q correction),
 *       for catalogues too large for the full product;</li>
 *   <li>{@link #BCE}: SASRec's original loss, binary cross-entropy of the target against one
 *       negative drawn uniformly from the items the user never interacted with.</li>
 * </ul>
 */
public enum NextItemLoss {
    SOFTMAX("softmax"), SAMPLED_SOFTMAX("sampled-softmax"), BCE("bce");

    private final String label;

    NextItemLoss(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static NextItemLoss parse(String text) {
        for (NextItemLoss loss : values()) {
            if (loss.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return loss;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + text + "': expected softmax, sampled-softmax or bce");
    }

    @Override
    public String toString() {
        return label;
    }
}
