package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.Rng;
import org.embedrec.index.TopKIndex.ScoredItem;
import org.junit.jupiter.api.Test;

class TopKSelectorTest {

    /** Best first: larger score (-0 ties +0), then smaller id; NaN after every number. Written apart from the selector's own. */
    static final Comparator<ScoredItem> ORDER = (a, b) -> {
        boolean aNaN = Float.isNaN(a.score());
        boolean bNaN = Float.isNaN(b.score());
        if (aNaN != bNaN) {
            return aNaN ? 1 : -1;
        }
        if (!aNaN && a.score() != b.score()) {
            return a.score() > b.score() ? -1 : 1;
        }
        return Integer.compare(a.id(), b.id());
    };

    @Test
    void keepsTheBestInOrderWithTiesBySmallerId() {
        TopKSelector s = new TopKSelector(3);
        s.offer(4, 1f);
        s.offer(1, 5f);
        s.offer(7, 2f);
        s.offer(2, 2f); // ties with 7 at 2.0: the smaller id ranks first and pushes out (4, 1.0)
        s.offer(9, 0.5f); // worse than everything kept
        assertThat(s.drainSorted()).containsExactly(
                new ScoredItem(1, 5f), new ScoredItem(2, 2f), new ScoredItem(7, 2f));
        assertThat(s.size()).isZero();
    }

    @Test
    void nanRanksBelowEveryNumberAndSignedZerosTie() {
        TopKSelector s = new TopKSelector(4);
        s.offer(0, Float.NaN);
        s.offer(1, Float.NEGATIVE_INFINITY);
        s.offer(5, 0.0f);
        s.offer(3, -0.0f);
        s.offer(2, Float.NaN);
        // -0 == +0: id 3 before id 5; -inf beats NaN; of the two NaNs the smaller id stays.
        assertThat(s.drainSorted()).extracting(ScoredItem::id).containsExactly(3, 5, 1, 0);
    }

    @Test
    void capacityZeroKeepsNothingAndNegativeCapacityIsRejected() {
        TopKSelector s = new TopKSelector(0);
        s.offer(1, 3f);
        assertThat(s.wouldKeep(1, 3f)).isFalse();
        assertThat(s.drainSorted()).isEmpty();
        assertThatThrownBy(() -> new TopKSelector(-1)).hasMessage("capacity = -1; expected capacity >= 0");
    }

    @Property(tries = 200)
    void mergingChunksGivesTheSameAsOneSelection(@ForAll @IntRange(min = 0, max = 200) int n,
                                                 @ForAll @IntRange(min = 0, max = 30) int capacity,
                                                 @ForAll @IntRange(min = 1, max = 7) int chunks,
                                                 @ForAll long seed) {
        Rng rng = new Rng(seed);
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = rng.nextInt(10) == 0 ? Float.NaN : rng.nextInt(8); // many ties and some NaN
        }
        List<ScoredItem> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add(new ScoredItem(i, scores[i]));
        }
        expected.sort(ORDER);
        expected = expected.subList(0, Math.min(capacity, n));

        TopKSelector whole = new TopKSelector(capacity);
        TopKSelector merged = new TopKSelector(capacity);
        for (int c = chunks - 1; c >= 0; c--) { // merge in reverse order: the result must not care
            TopKSelector part = new TopKSelector(capacity);
            for (int i = n * c / chunks; i < n * (c + 1) / chunks; i++) {
                part.offer(i, scores[i]);
            }
            merged.offerAll(part);
        }
        for (int i = n - 1; i >= 0; i--) {
            whole.offer(i, scores[i]);
        }
        assertThat(whole.drainSorted()).containsExactlyElementsOf(expected);
        assertThat(merged.drainSorted()).containsExactlyElementsOf(expected);
    }
}
