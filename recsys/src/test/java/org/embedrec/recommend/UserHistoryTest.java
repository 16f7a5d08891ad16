package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.junit.jupiter.api.Test;

/** Each user's latest training time and distinct seen items, by hand. */
class UserHistoryTest {

    /** Users a, b, c (c only in the mapping, as a test-only user would be), items 0..4. */
    private static Interactions rows() {
        return Interactions.builder()
                .add(1, 3, 4f, 500L)   // b
                .add(0, 2, 5f, 100L)   // a
                .add(0, 0, 3f, 300L)   // a
                .add(0, 2, 1f, 200L)   // a rates item 2 again
                .add(1, 1, 2f, 50L)    // b
                .build(IdMapping.of(List.of("a", "b", "c")), IdMapping.of(List.of("i0", "i1", "i2", "i3", "i4")));
    }

    @Test
    void holdsEachTrainingUsersLatestTimeAndDistinctItemsAscending() {
        UserHistory h = UserHistory.of(rows());

        assertThat(h.userIds()).containsExactly("a", "b");
        assertThat(h.row("c")).isEqualTo(-1);
        assertThat(h.row("nobody")).isEqualTo(-1);
        int a = h.row("a");
        int b = h.row("b");
        assertThat(h.latestTimestamp(a)).isEqualTo(300L);
        assertThat(h.latestTimestamp(b)).isEqualTo(500L);
        assertThat(h.seen(a)).containsExactly(0, 2);
        assertThat(h.seen(b)).containsExactly(1, 3);
        assertThat(h.seenCount(a)).isEqualTo(2);
        for (int item = 0; item < 5; item++) {
            assertThat(h.hasSeen(a, item)).as("a, item %d", item).isEqualTo(item == 0 || item == 2);
            assertThat(h.hasSeen(b, item)).as("b, item %d", item).isEqualTo(item == 1 || item == 3);
        }
        assertThat(h.offsets()).containsExactly(0, 2, 4);
        assertThat(h.items()).containsExactly(0, 2, 1, 3);
        assertThat(h.catalogueSize()).isEqualTo(5);
    }

    @Test
    void rebuiltFromItsColumnsItAnswersTheSame() {
        UserHistory h = UserHistory.of(rows());
        UserHistory back = UserHistory.of(h.userIds(), h.latestTimestamps(), h.offsets(), h.items(), h.catalogueSize());
        assertThat(back.userIds()).isEqualTo(h.userIds());
        assertThat(back.latestTimestamps()).containsExactly(h.latestTimestamps());
        for (int u = 0; u < h.size(); u++) {
            assertThat(back.seen(u)).containsExactly(h.seen(u));
        }
    }

    @Test
    void inconsistentColumnsAreRefusedWithThePosition() {
        List<String> users = List.of("a", "b");
        long[] times = {1L, 2L};
        assertThatThrownBy(() -> UserHistory.of(users, times, new int[] {0, 2}, new int[] {0, 1}, 5))
                .hasMessageContaining("expected 2, 2 and 3");
        assertThatThrownBy(() -> UserHistory.of(users, times, new int[] {0, 1, 3}, new int[] {0, 1}, 5))
                .hasMessageContaining("offsets run from 0 to 3; expected 0 to 2");
        assertThatThrownBy(() -> UserHistory.of(users, times, new int[] {0, 2, 1}, new int[] {0}, 5))
                .hasMessageContaining("offsets[1] = 2 is outside [offsets[0], number of item rows] = [0, 1]");
        assertThatThrownBy(() -> UserHistory.of(users, times, new int[] {0, 1, 2}, new int[] {0, 7}, 5))
                .hasMessageContaining("item row 7 at position 1 (user 'b') is outside the catalogue [0, 5)");
        assertThatThrownBy(() -> UserHistory.of(users, times, new int[] {0, 2, 2}, new int[] {3, 3}, 5))
                .hasMessageContaining("rows of user 'a' are not ascending and distinct at position 1");
        assertThatThrownBy(() -> UserHistory.of(users, times, new int[] {0, 2, 1, 1}, new int[] {3}, 5))
                .hasMessageContaining("expected 2, 2 and 3");
    }
}
