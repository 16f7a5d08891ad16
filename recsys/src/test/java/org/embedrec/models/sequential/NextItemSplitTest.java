package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.UserSequences;
import org.junit.jupiter.api.Test;

class NextItemSplitTest {

    /** User 0: items 0 (t 1), 1 (t 3), 2 (t 2), 3 (t 3, later in the input); user 1: two items; user 2: one. */
    static Interactions data() {
        Interactions.Builder b = Interactions.builder().hasTimestamps(true);
        b.add(0, 0, 1, 1);
        b.add(1, 4, 1, 5);
        b.add(0, 1, 1, 3);
        b.add(0, 2, 1, 2);
        b.add(2, 0, 1, 9);
        b.add(0, 3, 1, 3);
        b.add(1, 2, 1, 4);
        return b.build(IdMapping.of(List.of("a", "b", "c")), IdMapping.of(List.of("w", "x", "y", "z", "v")));
    }

    @Test
    void sequencesAreInTimeOrderWithTiesInInputOrder() {
        UserSequences s = UserSequences.of(data());
        assertThat(s.items(0)).containsExactly(0, 2, 1, 3);
        assertThat(s.items(1)).containsExactly(2, 4);
        assertThat(s.items(2)).containsExactly(0);
        assertThat(s.itemCounts()).containsExactly(2, 1, 2, 1, 1);
    }

    @Test
    void theLastItemIsTestedTheOneBeforeValidatedAndTheRestTrainedOn() {
        NextItemSplit split = NextItemSplit.leaveLastOut(data());
        assertThat(split.train().items(0)).containsExactly(0, 2);
        assertThat(split.train().items(1)).containsExactly(2);
        assertThat(split.train().items(2)).containsExactly(0);

        assertThat(split.validation().users()).containsExactly(0);
        assertThat(split.validation().histories()[0]).containsExactly(0, 2);
        assertThat(split.validation().targets()).containsExactly(1);

        assertThat(split.test().users()).as("user 1 is tested, not validated; user 2 neither").containsExactly(0, 1);
        assertThat(split.test().histories()[0]).containsExactly(0, 2, 1);
        assertThat(split.test().histories()[1]).containsExactly(2);
        assertThat(split.test().targets()).containsExactly(3, 4);
    }
}
