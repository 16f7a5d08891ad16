package org.embedrec.metrics;

/**
 * A metric accumulated over batches: {@code update(...)} once per batch (each metric has the
 * update that fits its inputs), {@link #result()} at any time, {@link #reset()} to start again,
 * e.g. at each epoch. Sums are kept in {@code double} (or exact integer counts), so the result
 * does not depend on how the data was split into batches beyond rounding.
 *
 * <p>With no examples yet, {@link #result()} is {@code NaN}: the mean of nothing is undefined,
 * and NaN cannot be mistaken for a real score. The static convenience methods on each metric
 * follow the same rule for empty input. Inputs of mismatched lengths, NaN predictions and labels
 * outside the metric's domain are rejected with an {@link IllegalArgumentException} naming the
 * position.
 */
public interface Metric {

    /** Short name for reports and logs, e.g. {@code "rmse"}, {@code "ndcg@10"}. */
    String name();

    /** The metric over everything seen since construction or the last {@link #reset()}; NaN if nothing. */
    double result();

    void reset();
}
