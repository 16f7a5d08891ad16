package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitTest {
    /** Rows: (user, item, timestamp) with ties and a single-interaction user. */
    static Interactions sample() {
        IdMapping users = IdMapping.of(java.util.List.of("a", "b", "c"));
        IdMapping items = IdMapping.of(java.util.List.of("x", "y", "z", "w"));
        return Interactions.builder()
                .add(0, 0, 5, 300)
                .add(0, 1, 4, 100)
                .add(1, 0, 3, 200)
                .add(0, 2, 2, 300)
                .add(1, 3, 1, 50)
                .add(2, 1, 4, 400)
                .add(1, 2, 5, 200)
                .add(0, 3, 3, 10)
                .build(users, items);
    }

    @Test
    void aSampleOfTestUsersKeepsAllTheirTestRowsAndNoOthers() {
        Interactions data = sample();
        Split all = new Split(data.select(new int[] {0}), data.select(new int[] {1, 2, 3, 4, 5, 6, 7}));
        assertThat(all.testUserCount()).isEqualTo(3);

        Split one = all.sampleTestUsers(1, 9);
        Split again = all.sampleTestUsers(1, 9);
        assertThat(one.testUserCount()).isEqualTo(1);
        int user = one.test().user(0);
        long rowsOfUser = java.util.Arrays.stream(all.test().userIds()).filter(u -> u == user).count();
        assertThat(one.test().size()).isEqualTo(rowsOfUser);
        assertThat(again.test().userIds()).isEqualTo(one.test().userIds());
        assertThat(one.train()).isSameAs(all.train());
        assertThat(all.sampleTestUsers(2, 9).testUserCount()).isEqualTo(2);
        assertThat(all.sampleTestUsers(5, 9)).isSameAs(all);
        assertThatThrownBy(() -> all.sampleTestUsers(0, 9)).hasMessageContaining(">= 1, got 0");
    }

    @Test
    void randomSplitHasTheRatioIsDisjointKeepsOrderAndIsDeterministic() {
        Interactions data = sample();

        Split a = Split.random(data, 0.75, 7);
        Split b = Split.random(data, 0.75, 7);

        assertThat(a.train().size()).isEqualTo(6);
        assertThat(a.test().size()).isEqualTo(2);
        assertThat(a.train().userIds()).isEqualTo(b.train().userIds());
        assertThat(a.train().timestamps()).isEqualTo(b.train().timestamps());
        assertThat(a.train().users()).isSameAs(data.users());
        assertThat(rowKeys(a.train())).doesNotContainAnyElementsOf(rowKeys(a.test()));
        Set<String> union = rowKeys(a.train());
        union.addAll(rowKeys(a.test()));
        assertThat(union).isEqualTo(rowKeys(data));
    }

    @Test
    void temporalSplitPutsTheEarliestInTrainWithTiesByInputOrder() {
        Interactions data = sample();

        Split s = Split.temporal(data, 0.5);

        // Sorted: 10(r7) 50(r4) 100(r1) 200(r2) | 200(r6) 300(r0) 300(r3) 400(r5)
        assertThat(s.train().timestamps()).containsExactly(100, 200, 50, 10);
        assertThat(s.test().timestamps()).containsExactly(300, 300, 400, 200);
        assertThat(s.train().itemIds()).containsExactly(1, 0, 3, 3);
        long maxTrain = java.util.Arrays.stream(s.train().timestamps()).max().orElseThrow();
        long minTest = java.util.Arrays.stream(s.test().timestamps()).min().orElseThrow();
        assertThat(maxTrain).isLessThanOrEqualTo(minTest);
    }

    @Test
    void leaveLastOutMovesEachUsersLatestAndKeepsSingletonsInTrain() {
        Interactions data = sample();

        Split s = Split.leaveLastOut(data);

        // a: latest 300 at rows 0 and 3 -> row 3 (later in input); b: 200 at rows 2, 6 -> row 6; c: single.
        assertThat(s.test().size()).isEqualTo(2);
        assertThat(s.test().userIds()).containsExactly(0, 1);
        assertThat(s.test().itemIds()).containsExactly(2, 2);
        assertThat(s.train().size()).isEqualTo(6);
        assertThat(s.train().userIds()).contains(2);
    }

    @Test
    void leaveLastOutWithoutTimestampsTakesTheLastInInputOrder() {
        IdMapping users = IdMapping.of(java.util.List.of("a"));
        IdMapping items = IdMapping.of(java.util.List.of("x", "y", "z"));
        Interactions data = Interactions.builder().hasTimestamps(false).add(0, 0, 1, 0).add(0, 2, 1, 0)
                .add(0, 1, 1, 0).build(users, items);

        assertThat(Split.leaveLastOut(data).test().itemIds()).containsExactly(1);
    }

    @Test
    void badArguments() {
        Interactions data = sample();
        assertThatThrownBy(() -> Split.random(data, 1.0, 1)).hasMessage("train ratio must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> Split.temporal(data, Double.NaN)).hasMessageContaining("(0, 1)");
        Interactions noTime = Interactions.builder().hasTimestamps(false).add(0, 0, 1, 0)
                .build(data.users(), data.items());
        assertThatThrownBy(() -> Split.temporal(noTime, 0.5)).hasMessageContaining("needs timestamps");
        assertThatThrownBy(() -> new Split(data, RatingsData.of("o", SplitTest.sample()).interactions()))
                .hasMessageContaining("share their id mappings");
    }

    static Set<String> rowKeys(Interactions x) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < x.size(); i++) {
            keys.add(x.user(i) + "/" + x.item(i) + "/" + x.timestamp(i));
        }
        return keys;
    }
}
