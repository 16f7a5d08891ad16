package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CategoryCrossTest {

    @Test
    void batchCrossMatchesScalarCross() {
        CategoryCross cross = new CategoryCross(1000, 5);
        int[] gender = {0, 1, 1, 0};
        int[] occupation = {3, 3, 7, 20};
        int[] age = {1, 2, 3, 4};
        int[] out = new int[4];
        cross.cross(gender, occupation, out);
        int[] out3 = new int[4];
        cross.cross(new int[][] {gender, occupation, age}, out3);
        for (int i = 0; i < 4; i++) {
            assertThat(out[i]).isEqualTo(cross.cross(gender[i], occupation[i])).isBetween(0, 999);
            assertThat(out3[i]).isEqualTo(cross.cross(gender[i], occupation[i], age[i]));
        }
    }

    @Test
    void differentPairsGetDifferentBinsAndOrderMatters() {
        CategoryCross cross = new CategoryCross(1 << 20);
        java.util.Set<Integer> bins = new java.util.HashSet<>();
        int swappedEqual = 0;
        for (int a = 0; a < 30; a++) {
            for (int b = 0; b < 30; b++) {
                bins.add(cross.cross(a, b));
                if (a != b && cross.cross(a, b) == cross.cross(b, a)) {
                    swappedEqual++;
                }
            }
        }
        assertThat(bins.size()).isGreaterThan(895); // 900 pairs in 2^20 bins: almost no collisions
        assertThat(swappedEqual).isZero();
    }

    @Test
    void stringFeaturesAndSalt() {
        CategoryCross a = new CategoryCross(10_000, 1);
        assertThat(a.cross("M", "engineer")).isEqualTo(new CategoryCross(10_000, 1).cross("M", "engineer"));
        assertThat(a.cross("M", "engineer")).isNotEqualTo(a.cross("F", "engineer"));
        assertThat(new CategoryCross(10_000, 2).cross(1, 2)).isNotEqualTo(a.cross(1, 2));
    }

    @Test
    void rejectsBadInput() {
        CategoryCross cross = new CategoryCross(10);
        assertThatThrownBy(() -> cross.cross(new int[][] {{1}}, new int[1])).hasMessageContaining("at least 2 features");
        assertThatThrownBy(() -> cross.cross(new int[] {1, 2}, new int[] {1}, new int[2]))
                .hasMessageContaining("feature 1 has 1 values, feature 0 has 2");
        assertThatThrownBy(() -> new CategoryCross(0)).hasMessageContaining("numBins must be >= 1");
        assertThatThrownBy(() -> cross.cross(null, "x")).hasMessageContaining("feature 1 is null");
    }

    @Test
    void jsonRoundTrip() {
        CategoryCross cross = new CategoryCross(12345, -3);
        assertThat(CategoryCross.fromJson(JsonRoundTrip.throughText(cross))).isEqualTo(cross);
    }
}
