package org.embedrec.tasks;

import java.util.Arrays;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.losses.Reduction;

/**
 * The retrieval task: in-batch softmax. With query embeddings {@code Q [B, D]} and the batch's
 * candidate embeddings {@code C [B, D]} (row i the positive of query i), optionally followed by
 * {@code N} extra negatives, the logits are, in the order TensorFlow Recommenders applies them,
 * <pre>
 * logits[i][j] = q_i . c_j / temperature
 *              - logQ[j]                                   (log-q correction, when on)
 *              + ACCIDENTAL_HIT_PENALTY if j != i and id[j] == id[i]   (accidental hits, when removed)
 * </pre>
 * over the {@code B + N} columns, and the loss is the softmax cross-entropy of each row against
 * its diagonal entry, {@code logsumexp(logits[i]) - logits[i][i]}, summed over the batch by
 * default (as {@code tfrs.tasks.Retrieval}'s {@code CategoricalCrossentropy(reduction=SUM)} does).
 *
 * <p>Log-q correction subtracts each candidate's log sampling probability, so that popular
 * candidates, which appear as in-batch negatives more often, are not pushed down for it (Yi et
 * al., "Sampling-bias-corrected neural modeling", RecSys 2019). Removing accidental hits keeps
 * a query from being trained against another copy of its own positive in the batch.
 *
 * <p>{@link #loss} runs on one fused op ({@link Ops#inBatchSoftmaxCrossEntropy}); {@link #logits}
 * builds the same logits from the separate ops and is the readable definition the tests hold
 * the fused loss to. Since a candidate's embedding depends only on its item, the columns of a
 * repeated item are identical: {@link #loss(Tensor, DistinctCandidates, Tensor, float[])} takes
 * each item once with its count ({@link Ops#sampledSoftmaxCrossEntropy}) and gives the same loss
 * for less work; removing accidental hits is then counting the positive's column once.
 *
 * <p><b>Sample weights</b> (the overloads taking {@code sampleWeights}, one per row, finite and
 * {@code >= 0}, not all zero) weight each row's loss {@code l_i}: with {@link Reduction#MEAN} the
 * loss is the weighted mean {@code sum_i w_i l_i / sum_i w_i}; with {@link Reduction#SUM} it is
 * B times that, the sum of the rows' losses with the weights rescaled to add up to B. Either way
 * only the weights' ratios matter and weights of all ones give the unweighted loss. (Keras under
 * {@code SUM} would not rescale, so its weighted loss grows with the weights' scale.)
 *
 * <p><b>Hard negatives</b> ({@link #lossWithHardNegatives}) are given per row as
 * {@code [B, n, D]}: row i's logits are its positive and the other in-batch candidates, as
 * above, followed by {@code (q_i / temperature) . h_ik} for its own n hard negatives only, so the
 * softmax is {@code B + n} wide. Hard negatives are chosen rather than sampled, so they get no
 * log-q correction; with accidental hits removed, one carrying row i's positive id is masked.
 * Instances are immutable.
 */
public final class Retrieval {
    /**
     * Added to the logit of an accidental hit. Finite on purpose: {@code -infinity} would make
     * {@code inf - inf = NaN} wherever logits are subtracted or weighted (a finite-difference
     * check, a gradient times a logit), while {@code exp(-1e9 - max)} is already exactly 0 in
     * float for any logit a model produces, so the hit drops out of the softmax all the same.
     * It is far from {@code -Float.MAX_VALUE}, so adding it to a logit cannot overflow.
     */
    public static final float ACCIDENTAL_HIT_PENALTY = -1e9f;

    private final float temperature;
    private final boolean logQCorrection;
    private final boolean removeAccidentalHits;
    private final Reduction reduction;

    private Retrieval(Builder b) {
        this.temperature = b.temperature;
        this.logQCorrection = b.logQCorrection;
        this.removeAccidentalHits = b.removeAccidentalHits;
        this.reduction = b.reduction;
    }

    /**
     * The loss over the batch. {@code candidateIds[i]} is candidate i's catalogue id (used to
     * remove accidental hits); {@code candidateLogQ[i]} its log sampling probability (used for
     * log-q correction; may be null when the correction is off).
     */
    public Tensor loss(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ) {
        return loss(queries, candidates, candidateIds, candidateLogQ, null, null, null);
    }

    /**
     * The loss with extra negatives appended as logit columns after the batch's candidates:
     * {@code negatives [N, D]}, their catalogue ids and log sampling probabilities.
     */
    public Tensor loss(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                       Tensor negatives, int[] negativeIds, float[] negativeLogQ) {
        return reduce(perQuery(queries, candidates, candidateIds, candidateLogQ, negatives, negativeIds,
                negativeLogQ), null);
    }

    /** The loss over the batch with each row's loss weighted by {@code sampleWeights} (one per row). */
    public Tensor loss(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                       float[] sampleWeights) {
        return loss(queries, candidates, candidateIds, candidateLogQ, null, null, null, sampleWeights);
    }

    /** The loss with extra negatives, each row's loss weighted by {@code sampleWeights} (one per row). */
    public Tensor loss(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                       Tensor negatives, int[] negativeIds, float[] negativeLogQ, float[] sampleWeights) {
        Objects.requireNonNull(sampleWeights, "Retrieval: sampleWeights");
        return reduce(perQuery(queries, candidates, candidateIds, candidateLogQ, negatives, negativeIds,
                negativeLogQ), sampleWeights);
    }

    private Tensor perQuery(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                            Tensor negatives, int[] negativeIds, float[] negativeLogQ) {
        Columns cols = columns(queries, candidates, candidateIds, candidateLogQ, negatives, negativeIds, negativeLogQ);
        return Ops.inBatchSoftmaxCrossEntropy(queries, cols.embeddings, 1f / temperature, cols.logQ, cols.ids,
                ACCIDENTAL_HIT_PENALTY);
    }

    /** The per-row losses {@code [B]} reduced as configured, weighted when {@code sampleWeights} is not null. */
    private Tensor reduce(Tensor perQuery, float[] sampleWeights) {
        if (sampleWeights == null) {
            return reduction == Reduction.SUM ? Ops.sum(perQuery) : Ops.mean(perQuery);
        }
        return SampleWeights.scaledWeightedMean("Retrieval", perQuery, sampleWeights,
                reduction == Reduction.SUM ? perQuery.size() : 1.0);
    }

    /**
     * The loss with hard negatives given per row: {@code hardNegatives [B, n, D]}, row i's n
     * negatives at {@code [i, k, :]}, and, when accidental hits are removed, their catalogue ids
     * {@code hardNegativeIds [B * n]} in the same row-major order (row i's k-th at {@code i * n + k};
     * may be null otherwise). Row i's logits are the in-batch ones followed by its own hard
     * negatives'. {@code sampleWeights} may be null for an unweighted loss.
     */
    public Tensor lossWithHardNegatives(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                                        Tensor hardNegatives, int[] hardNegativeIds, float[] sampleWeights) {
        Columns cols = columns(queries, candidates, candidateIds, candidateLogQ, null, null, null);
        int b = queries.dim(0);
        int d = queries.dim(1);
        Objects.requireNonNull(hardNegatives, "Retrieval: hardNegatives");
        if (hardNegatives.rank() != 3 || hardNegatives.dim(0) != b || hardNegatives.dim(1) == 0
                || hardNegatives.dim(2) != d) {
            throw new IllegalArgumentException("Retrieval: hardNegatives have shape " + shape(hardNegatives)
                    + ", expected [" + b + ", n, " + d + "] with n >= 1 (row i the hard negatives of query i)");
        }
        int n = hardNegatives.dim(1);
        int m = b + n;
        int[] hardIds = null;
        if (removeAccidentalHits) {
            if (hardNegativeIds == null || hardNegativeIds.length != b * n) {
                throw new IllegalArgumentException("Retrieval: hardNegativeIds has "
                        + (hardNegativeIds == null ? "no" : hardNegativeIds.length) + " values, expected " + b * n
                        + " (" + n + " per row, row i's at [i * " + n + ", (i + 1) * " + n
                        + ")) because accidental hits are removed");
            }
            hardIds = hardNegativeIds.clone();
        }
        Tensor scaled = Ops.scale(queries, 1f / temperature);
        Tensor inBatch = Ops.matmul(scaled, candidates, false, true);
        // Row i's own negatives: [B, 1, D] x [B, n, D]^T -> [B, 1, n].
        Tensor own = Ops.reshape(Ops.batchedMatmul(Ops.reshape(scaled, b, 1, d), hardNegatives, false, true), b, n);
        Tensor logits = Ops.concat(1, inBatch, own);
        if (cols.logQ != null) {
            logits = Ops.sub(logits, Tensor.wrap(Arrays.copyOf(cols.logQ, m), m));
        }
        if (cols.ids != null) {
            float[] hits = new float[b * m];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < m; j++) {
                    int id = j < b ? cols.ids[j] : hardIds[i * n + j - b];
                    if (j != i && id == cols.ids[i]) {
                        hits[i * m + j] = ACCIDENTAL_HIT_PENALTY;
                    }
                }
            }
            logits = Ops.add(logits, Tensor.wrap(hits, b, m));
        }
        int[] diagonal = new int[b];
        for (int i = 0; i < b; i++) {
            diagonal[i] = i;
        }
        return reduce(Ops.softmaxCrossEntropy(logits, diagonal), sampleWeights);
    }

    /**
     * The loss over the batch's distinct candidates: {@code candidates [U, D]} row u the
     * embedding of {@code columns.ids()[u]}, {@code columnLogQ[u]} its log sampling probability
     * (may be null when the correction is off). Equal to {@link #loss} over the full columns the
     * distinct ones were merged from.
     */
    public Tensor loss(Tensor queries, DistinctCandidates columns, Tensor candidates, float[] columnLogQ) {
        return reduce(perQuery(queries, columns, candidates, columnLogQ), null);
    }

    /** The loss over distinct candidates with each pair's loss weighted by {@code sampleWeights} (one per pair). */
    public Tensor loss(Tensor queries, DistinctCandidates columns, Tensor candidates, float[] columnLogQ,
                       float[] sampleWeights) {
        Objects.requireNonNull(sampleWeights, "Retrieval: sampleWeights");
        return reduce(perQuery(queries, columns, candidates, columnLogQ), sampleWeights);
    }

    private Tensor perQuery(Tensor queries, DistinctCandidates columns, Tensor candidates, float[] columnLogQ) {
        Objects.requireNonNull(queries, "Retrieval: queries");
        Objects.requireNonNull(columns, "Retrieval: columns");
        Objects.requireNonNull(candidates, "Retrieval: candidates");
        int u = columns.size();
        if (queries.rank() != 2 || queries.dim(0) != columns.batchSize() || queries.dim(1) == 0) {
            throw new IllegalArgumentException("Retrieval: queries have shape " + shape(queries) + ", expected ["
                    + columns.batchSize() + ", D] with D >= 1 (one per pair)");
        }
        if (candidates.rank() != 2 || candidates.dim(0) != u || candidates.dim(1) != queries.dim(1)) {
            throw new IllegalArgumentException("Retrieval: candidates have shape " + shape(candidates) + ", expected ["
                    + u + ", " + queries.dim(1) + "] (one per distinct candidate)");
        }
        float[] logQ = null;
        if (logQCorrection) {
            logQ = new float[u];
            copyLogQ("columnLogQ", columnLogQ, u, logQ, 0);
        }
        return Ops.sampledSoftmaxCrossEntropy(queries, candidates, 1f / temperature, columns.labels(),
                columns.counts(), logQ, removeAccidentalHits);
    }

    /**
     * The {@code [B, B + N]} logits the loss is the softmax cross-entropy of (row i labelled i),
     * built from the separate ops; the arguments are those of {@link #loss} ({@code negatives} and
     * their arrays null when there are none). Differentiable, but slower than {@link #loss}.
     */
    public Tensor logits(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                         Tensor negatives, int[] negativeIds, float[] negativeLogQ) {
        Columns cols = columns(queries, candidates, candidateIds, candidateLogQ, negatives, negativeIds, negativeLogQ);
        int b = queries.dim(0);
        int m = cols.embeddings.dim(0);
        // (Q / T) C^T, scaling the smaller operand, as the fused op does.
        Tensor logits = Ops.matmul(Ops.scale(queries, 1f / temperature), cols.embeddings, false, true);
        if (cols.logQ != null) {
            logits = Ops.sub(logits, Tensor.wrap(cols.logQ, m));
        }
        if (cols.ids != null) {
            float[] hits = new float[b * m];
            for (int i = 0; i < b; i++) {
                for (int j = 0; j < m; j++) {
                    if (j != i && cols.ids[j] == cols.ids[i]) {
                        hits[i * m + j] = ACCIDENTAL_HIT_PENALTY;
                    }
                }
            }
            logits = Ops.add(logits, Tensor.wrap(hits, b, m));
        }
        return logits;
    }

    public float temperature() {
        return temperature;
    }

    public boolean logQCorrection() {
        return logQCorrection;
    }

    public boolean removeAccidentalHits() {
        return removeAccidentalHits;
    }

    public Reduction reduction() {
        return reduction;
    }

    /**
     * The logit columns: candidates then negatives, with their ids (null unless accidental hits
     * are removed) and log-q values (null unless corrected).
     */
    private record Columns(Tensor embeddings, int[] ids, float[] logQ) {}

    private Columns columns(Tensor queries, Tensor candidates, int[] candidateIds, float[] candidateLogQ,
                            Tensor negatives, int[] negativeIds, float[] negativeLogQ) {
        Objects.requireNonNull(queries, "Retrieval: queries");
        Objects.requireNonNull(candidates, "Retrieval: candidates");
        if (queries.rank() != 2 || queries.dim(0) == 0 || queries.dim(1) == 0) {
            throw new IllegalArgumentException("Retrieval: queries have shape " + shape(queries)
                    + ", expected [B, D] with B, D >= 1");
        }
        int b = queries.dim(0);
        int d = queries.dim(1);
        if (candidates.rank() != 2 || candidates.dim(0) != b || candidates.dim(1) != d) {
            throw new IllegalArgumentException("Retrieval: candidates have shape " + shape(candidates)
                    + ", expected [" + b + ", " + d + "] like the queries (row i the positive of query i)");
        }
        int n = 0;
        if (negatives == null) {
            if (negativeIds != null || negativeLogQ != null) {
                throw new IllegalArgumentException("Retrieval: negative ids or log-q given without negatives");
            }
        } else if (negatives.rank() != 2 || negatives.dim(1) != d) {
            throw new IllegalArgumentException("Retrieval: negatives have shape " + shape(negatives)
                    + ", expected [N, " + d + "]");
        } else {
            n = negatives.dim(0);
        }
        int[] ids = null;
        if (removeAccidentalHits) {
            ids = new int[b + n];
            copyIds("candidateIds", candidateIds, b, ids, 0);
            if (n > 0) {
                copyIds("negativeIds", negativeIds, n, ids, b);
            }
        }
        float[] logQ = null;
        if (logQCorrection) {
            logQ = new float[b + n];
            copyLogQ("candidateLogQ", candidateLogQ, b, logQ, 0);
            if (n > 0) {
                copyLogQ("negativeLogQ", negativeLogQ, n, logQ, b);
            }
        }
        Tensor embeddings = n > 0 ? Ops.concat(0, candidates, negatives) : candidates;
        return new Columns(embeddings, ids, logQ);
    }

    private static void copyIds(String name, int[] src, int expected, int[] dst, int at) {
        if (src == null || src.length != expected) {
            throw new IllegalArgumentException("Retrieval: " + name + " has " + (src == null ? "no" : src.length)
                    + " values, expected " + expected + " (one per row) because accidental hits are removed");
        }
        System.arraycopy(src, 0, dst, at, expected);
    }

    private static void copyLogQ(String name, float[] src, int expected, float[] dst, int at) {
        if (src == null || src.length != expected) {
            throw new IllegalArgumentException("Retrieval: " + name + " has " + (src == null ? "no" : src.length)
                    + " values, expected " + expected + " (one per row) because log-q correction is on");
        }
        for (int i = 0; i < expected; i++) {
            // NaN fails this test too.
            if (!(src[i] <= 0f) || src[i] == Float.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("Retrieval: " + name + "[" + i + "] = " + src[i]
                        + ", expected a log probability: finite and <= 0");
            }
        }
        System.arraycopy(src, 0, dst, at, expected);
    }

    private static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: temperature 1, no log-q correction, accidental hits kept, {@link Reduction#SUM}. */
    public static final class Builder {
        private float temperature = 1f;
        private boolean logQCorrection;
        private boolean removeAccidentalHits;
        private Reduction reduction = Reduction.SUM;

        private Builder() {}

        /** Divides the logits; below 1 it sharpens the softmax. Must be finite and positive. */
        public Builder temperature(float value) {
            if (!(value > 0f) || value == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("Retrieval: temperature " + value + ", expected finite and > 0");
            }
            if (1f / value == Float.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("Retrieval: temperature " + value
                        + " is too small: 1 / temperature overflows float");
            }
            this.temperature = value;
            return this;
        }

        /** Subtract each column's log sampling probability from its logits. */
        public Builder logQCorrection(boolean value) {
            this.logQCorrection = value;
            return this;
        }

        /** Mask out columns that carry the same catalogue id as the row's positive. */
        public Builder removeAccidentalHits(boolean value) {
            this.removeAccidentalHits = value;
            return this;
        }

        /** How the per-query losses become one number: {@link Reduction#SUM} (default) or {@link Reduction#MEAN}. */
        public Builder reduction(Reduction value) {
            this.reduction = Objects.requireNonNull(value, "Retrieval: reduction");
            return this;
        }

        public Retrieval build() {
            return new Retrieval(this);
        }
    }
}
