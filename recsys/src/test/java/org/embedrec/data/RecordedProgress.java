package org.embedrec.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ReadProgress} that records what it is told and fails on any call out of order: an
 * advance before begin or after end, a second begin or end, an amount that is not positive.
 */
final class RecordedProgress implements ReadProgress {
    String what;
    long total = Long.MIN_VALUE;
    Unit unit;
    final List<Long> advances = new ArrayList<>();
    int begins;
    int ends;

    @Override
    public void begin(String what, long total, Unit unit) {
        if (begins++ > 0) {
            throw new AssertionError("begin called twice");
        }
        this.what = what;
        this.total = total;
        this.unit = unit;
    }

    @Override
    public void advance(long amount) {
        if (begins == 0 || ends > 0) {
            throw new AssertionError("advance(" + amount + ") outside begin ... end");
        }
        if (amount <= 0) {
            throw new AssertionError("advance by " + amount + ", expected a positive amount");
        }
        advances.add(amount);
    }

    @Override
    public void end() {
        if (begins == 0 || ends++ > 0) {
            throw new AssertionError(begins == 0 ? "end before begin" : "end called twice");
        }
    }

    /** The running totals after each advance. */
    List<Long> positions() {
        List<Long> at = new ArrayList<>();
        long sum = 0;
        for (long a : advances) {
            sum += a;
            at.add(sum);
        }
        return at;
    }

    long done() {
        long sum = 0;
        for (long a : advances) {
            sum += a;
        }
        return sum;
    }
}
