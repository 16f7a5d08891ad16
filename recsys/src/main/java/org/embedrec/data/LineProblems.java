package org.embedrec.data;

import java.util.ArrayList;
import java.util.List;

/** Applies a {@link BadLinePolicy} during one read: throws, or counts and keeps the first reasons. */
public final class LineProblems {
    static final int KEPT_REASONS = 10;

    private final BadLinePolicy policy;
    private long skipped;
    private final List<String> reasons = new ArrayList<>();

    public LineProblems(BadLinePolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("bad line policy must not be null");
        }
        this.policy = policy;
    }

    /** Throws under FAIL; counts under SKIP. */
    public void report(DataFormatException problem) {
        if (policy == BadLinePolicy.FAIL) {
            throw problem;
        }
        skipped++;
        if (reasons.size() < KEPT_REASONS) {
            reasons.add(problem.getMessage());
        }
    }

    public long skipped() {
        return skipped;
    }

    public List<String> reasons() {
        return List.copyOf(reasons);
    }
}
