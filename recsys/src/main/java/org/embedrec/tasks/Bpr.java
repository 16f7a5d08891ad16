package org.embedrec.tasks;

import java.util.Arrays;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;

/**
 * Bayesian personalised ranking for implicit feedback (Rendle et al., UAI 2009): each row holds
 * a query, an item it interacted with and one it did not, and the loss asks the first to score
 * higher, {@code l_i = -log sigmoid(q_i . pos_i - q_i . neg_i)}, averaged over the rows (or
 * weighted, {@code sum_i w_i l_i / sum_i w_i}).
 *
 * <p>{@code -log sigmoid(x)} is computed as {@code softplus(-x)} ({@link Ops#softplus}), whose
 * exponent is never positive: a badly ranked pair with {@code x = -100} costs 100 instead of the
 * infinity {@code log} of a sigmoid rounded to 0 would give, and its gradient stays -1.
 */
public final class Bpr {
    private Bpr() {}

    /** The mean BPR loss of {@code queries}, {@code positives} and {@code negatives}, each {@code [B, D]}. */
    public static Tensor loss(Tensor queries, Tensor positives, Tensor negatives) {
        return Ops.mean(losses(queries, positives, negatives));
    }

    /**
     * The weighted mean BPR loss: {@code sampleWeights} has one value per row, each finite and
     * {@code >= 0}, not all zero.
     */
    public static Tensor loss(Tensor queries, Tensor positives, Tensor negatives, float[] sampleWeights) {
        return SampleWeights.weightedMean("Bpr", losses(queries, positives, negatives), sampleWeights);
    }

    /** The {@code [B]} per-row losses {@code softplus(q . neg - q . pos)}. */
    private static Tensor losses(Tensor queries, Tensor positives, Tensor negatives) {
        Objects.requireNonNull(queries, "Bpr: queries");
        Objects.requireNonNull(positives, "Bpr: positives");
        Objects.requireNonNull(negatives, "Bpr: negatives");
        if (queries.rank() != 2 || queries.dim(0) == 0 || queries.dim(1) == 0) {
            throw new IllegalArgumentException("Bpr: queries have shape " + Arrays.toString(queries.shape())
                    + ", expected [B, D] with B, D >= 1");
        }
        expectShape("positives", positives, queries);
        expectShape("negatives", negatives, queries);
        return Ops.softplus(Ops.sub(Ops.dot(queries, negatives), Ops.dot(queries, positives)));
    }

    private static void expectShape(String name, Tensor t, Tensor queries) {
        if (!Arrays.equals(t.shape(), queries.shape())) {
            throw new IllegalArgumentException("Bpr: " + name + " have shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(queries.shape()) + " like the queries (row i for query i)");
        }
    }
}
