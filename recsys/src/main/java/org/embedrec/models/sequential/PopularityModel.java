package org.embedrec.models.sequential;

import org.embedrec.data.UserSequences;

/**
 * The popularity baseline: every history gets the same scores, each item's number of training
 * interactions. Under the leave-last-out protocol the items a user has seen are excluded from
 * ranking, so this recommends the most popular items the user has not seen.
 */
public final class PopularityModel implements NextItemScorer {
    public static final String NAME = "pop";

    private final float[] counts;

    public PopularityModel(float[] counts) {
        this.counts = counts.clone();
    }

    /** Counts the items of the training sequences. */
    public static PopularityModel fit(UserSequences train) {
        int[] c = train.itemCounts();
        float[] f = new float[c.length];
        for (int i = 0; i < c.length; i++) {
            f[i] = c[i];
        }
        return new PopularityModel(f);
    }

    @Override
    public float[][] scores(int[][] histories) {
        float[][] out = new float[histories.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.clone();
        }
        return out;
    }

    @Override
    public int numItems() {
        return counts.length;
    }

    /** The training count of each item (a copy). */
    public float[] counts() {
        return counts.clone();
    }
}
