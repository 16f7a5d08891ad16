package org.embedrec.models.retrieval;

import java.util.Objects;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.QueryInputs;

/**
 * A batch of (query, positive candidate) pairs as {@link RetrievalExamples#batch} slices it:
 * pair {@code i} is query {@code i} of {@code queries} with candidate {@code i} of
 * {@code candidates}, which is catalogue row {@code candidateIds[i]}. In-batch softmax uses the
 * other pairs' candidates as the negatives of each query. The arrays belong to the batch;
 * models read them and never write them.
 */
public record RetrievalBatch(QueryInputs queries, CandidateInputs candidates, int[] candidateIds) {

    public RetrievalBatch {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(candidates, "candidates");
        Objects.requireNonNull(candidateIds, "candidateIds");
        if (candidates.size() != queries.size() || candidateIds.length != queries.size()) {
            throw new IllegalArgumentException("retrieval batch: " + queries.size() + " queries, " + candidates.size()
                    + " candidates and " + candidateIds.length + " candidate ids; expected one of each per pair");
        }
    }

    /** Number of pairs. */
    public int size() {
        return candidateIds.length;
    }
}
