package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.Rng;

/** Invariants of the splits over random interaction tables. */
class SplitProperties {

    /** A random table; rows are unique (user, item) pairs, so a row is identified by them. */
    static Interactions randomTable(int users, int items, int rows, long seed) {
        Rng rng = new Rng(seed);
        List<String> u = new ArrayList<>();
        for (int k = 0; k < users; k++) {
            u.add("u" + k);
        }
        List<String> i = new ArrayList<>();
        for (int k = 0; k < items; k++) {
            i.add("i" + k);
        }
        int[] cells = rng.permutation(users * items);
        Interactions.Builder b = Interactions.builder();
        for (int r = 0; r < Math.min(rows, cells.length); r++) {
            b.add(cells[r] / items, cells[r] % items, 1 + rng.nextInt(5), rng.nextInt(20));
        }
        return b.build(IdMapping.of(u), IdMapping.of(i));
    }

    @Property(tries = 200)
    void randomSplitPartitionsTheRows(@ForAll @IntRange(min = 1, max = 30) int users,
            @ForAll @IntRange(min = 1, max = 30) int items, @ForAll @IntRange(min = 0, max = 300) int rows,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double ratio, @ForAll long seed) {
        Interactions data = randomTable(users, items, rows, seed);

        Split s = Split.random(data, ratio, seed);

        assertThat(s.train().size()).isEqualTo((int) Math.round(ratio * data.size()));
        assertThat(s.train().size() + s.test().size()).isEqualTo(data.size());
        java.util.Set<String> common = SplitTest.rowKeys(s.train());
        common.retainAll(SplitTest.rowKeys(s.test()));
        assertThat(common).isEmpty();
        assertThat(Split.random(data, ratio, seed).test().itemIds()).isEqualTo(s.test().itemIds());
    }

    @Property(tries = 200)
    void temporalSplitNeverTrainsOnTheFuture(@ForAll @IntRange(min = 1, max = 30) int users,
            @ForAll @IntRange(min = 1, max = 30) int items, @ForAll @IntRange(min = 1, max = 300) int rows,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double ratio, @ForAll long seed) {
        Interactions data = randomTable(users, items, rows, seed);

        Split s = Split.temporal(data, ratio);

        assertThat(s.train().size() + s.test().size()).isEqualTo(data.size());
        long maxTrain = Arrays.stream(s.train().timestamps()).max().orElse(Long.MIN_VALUE);
        long minTest = Arrays.stream(s.test().timestamps()).min().orElse(Long.MAX_VALUE);
        assertThat(maxTrain).isLessThanOrEqualTo(minTest);
    }

    @Property(tries = 200)
    void leaveLastOutHoldsOutExactlyEachRepeatUsersLatest(@ForAll @IntRange(min = 1, max = 30) int users,
            @ForAll @IntRange(min = 1, max = 30) int items, @ForAll @IntRange(min = 0, max = 300) int rows,
            @ForAll long seed) {
        Interactions data = randomTable(users, items, rows, seed);

        Split s = Split.leaveLastOut(data);

        int[] counts = data.countsPerUser();
        int[] testCounts = s.test().countsPerUser();
        long[] latest = new long[users];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int r = 0; r < data.size(); r++) {
            latest[data.user(r)] = Math.max(latest[data.user(r)], data.timestamp(r));
        }
        for (int u = 0; u < users; u++) {
            assertThat(testCounts[u]).isEqualTo(counts[u] >= 2 ? 1 : 0);
        }
        for (int r = 0; r < s.test().size(); r++) {
            assertThat(s.test().timestamp(r)).isEqualTo(latest[s.test().user(r)]);
        }
        for (int r = 0; r < s.train().size(); r++) {
            assertThat(s.train().timestamp(r)).isLessThanOrEqualTo(latest[s.train().user(r)]);
        }
        assertThat(s.train().size() + s.test().size()).isEqualTo(data.size());
    }
}
