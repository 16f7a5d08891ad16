package org.embedrec.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.Users;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

class SyntheticMovieLensTest {
    private static final SyntheticMovieLens.Config SMALL = SyntheticMovieLens.Config.defaults().withSize(120, 200, 30)
            .withLatent(8, 4).withSeed(11);

    @Test
    void oneSeedGivesTheSameDataAndAnotherSeedDifferentData() {
        Interactions a = SyntheticMovieLens.generate(SMALL).data().interactions();
        Interactions b = SyntheticMovieLens.generate(SMALL).data().interactions();
        Interactions c = SyntheticMovieLens.generate(SMALL.withSeed(12)).data().interactions();

        assertThat(a.userIds()).isEqualTo(b.userIds());
        assertThat(a.itemIds()).isEqualTo(b.itemIds());
        assertThat(a.ratings()).isEqualTo(b.ratings());
        assertThat(a.timestamps()).isEqualTo(b.timestamps());
        assertThat(a.itemIds()).isNotEqualTo(c.itemIds());
        Items ia = SyntheticMovieLens.generate(SMALL).data().items().orElseThrow();
        Items ib = SyntheticMovieLens.generate(SMALL).data().items().orElseThrow();
        assertThat(ia.title(17)).isEqualTo(ib.title(17));
    }

    @Test
    void hasTheShapeOfMovieLens() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SMALL);
        RatingsData data = gen.data();
        Interactions x = data.interactions();

        assertThat(x.numUsers()).isEqualTo(120);
        assertThat(x.numItems()).isEqualTo(200);
        assertThat(x.size()).isBetween(120 * 30 * 8 / 10, 120 * 30 * 13 / 10);
        assertThat(x.users().rawId(0)).isEqualTo("1");
        assertThat(java.util.Arrays.stream(x.countsPerUser()).min().orElseThrow()).isGreaterThanOrEqualTo(20);
        Set<Long> pairs = new HashSet<>();
        for (int i = 0; i < x.size(); i++) {
            assertThat(x.rating(i)).isIn(1f, 2f, 3f, 4f, 5f);
            assertThat(x.timestamp(i)).isBetween(SMALL.startTime(), SMALL.endTime() - 1);
            assertThat(pairs.add((long) x.user(i) << 32 | x.item(i))).as("no repeated user-item pair").isTrue();
        }
        Items items = data.items().orElseThrow();
        assertThat(items.title(0)).matches("[A-Za-z ]+\\d* \\((19|20)\\d\\d\\)");
        assertThat(items.year(0)).isPresent();
        assertThat(items.genres(0)).isNotEmpty();
        Users users = data.users().orElseThrow();
        assertThat(users.age(0)).isPresent();
        assertThat(users.gender(0).orElseThrow()).isIn("M", "F");
        assertThat(users.zip(0).orElseThrow()).hasSize(5);
    }

    @Test
    void defaultsAreLikeMovieLens100k() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults());
        Interactions x = gen.data().interactions();

        assertThat(x.numUsers()).isEqualTo(943);
        assertThat(x.numItems()).isEqualTo(1682);
        assertThat(x.size()).isBetween(90_000, 110_000);
        double mean = 0;
        for (int i = 0; i < x.size(); i++) {
            mean += x.rating(i);
        }
        assertThat(mean / x.size()).isBetween(3.2, 3.9);
    }

    @Test
    void ratingsCorrelateWithThePlantedAffinity() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SMALL);
        Interactions x = gen.data().interactions();
        double[] aff = new double[x.size()];
        double[] rating = new double[x.size()];
        double[] expected = new double[x.size()];
        for (int i = 0; i < x.size(); i++) {
            aff[i] = gen.affinity(x.user(i), x.item(i));
            expected[i] = gen.expectedRating(x.user(i), x.item(i));
            rating[i] = x.rating(i);
        }

        assertThat(pearson(aff, rating)).isGreaterThan(0.3);
        assertThat(pearson(expected, rating)).isGreaterThan(0.7);
    }

    @Test
    void usersInteractWithItemsTheyHaveAffinityFor() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SMALL);
        Interactions x = gen.data().interactions();
        Rng rng = new Rng(5);
        double chosen = 0;
        double random = 0;
        int sameCluster = 0;
        for (int i = 0; i < x.size(); i++) {
            chosen += gen.affinity(x.user(i), x.item(i));
            random += gen.affinity(x.user(i), rng.nextInt(x.numItems()));
            if (gen.userCluster(x.user(i)) == gen.itemCluster(x.item(i))) {
                sameCluster++;
            }
        }

        assertThat(chosen / x.size()).isGreaterThan(random / x.size() + 0.3);
        assertThat((double) sameCluster / x.size()).as("4 clusters: chance would be 0.25").isGreaterThan(0.5);
    }

    @Test
    void titleWordsAndGenresCarryTheItemsCluster() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SMALL);
        Items items = gen.data().items().orElseThrow();
        int withOwnWord = 0;
        int withOtherWord = 0;
        int[][] genreByCluster = new int[4][items.genreNames().size()];
        for (int i = 0; i < items.size(); i++) {
            int k = gen.itemCluster(i);
            List<String> words = List.of(items.title(i).split(" "));
            for (int c = 0; c < 4; c++) {
                boolean has = gen.clusterWords(c).stream().anyMatch(words::contains);
                if (has && c == k) {
                    withOwnWord++;
                } else if (has) {
                    withOtherWord++;
                }
            }
            for (int g : items.genreIndices(i)) {
                genreByCluster[k][g]++;
            }
        }

        assertThat(withOwnWord).isGreaterThan(items.size() * 6 / 10);
        assertThat(withOtherWord).isZero();
        for (int k = 0; k < 4; k++) {
            int top = 0;
            int total = 0;
            for (int count : genreByCluster[k]) {
                top = Math.max(top, count);
                total += count;
            }
            assertThat((double) top / total).as("cluster %d's main genre", k).isGreaterThan(0.35);
        }
    }

    @Test
    void demographicsFollowTheUsersCluster() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SMALL.withSize(400, 100, 20));
        Users users = gen.data().users().orElseThrow();
        double[] ageSum = new double[4];
        int[] count = new int[4];
        for (int u = 0; u < users.size(); u++) {
            int k = gen.userCluster(u);
            ageSum[k] += users.age(u).orElseThrow();
            count[k]++;
        }

        assertThat(ageSum[3] / count[3]).isGreaterThan(ageSum[0] / count[0] + 20);
    }

    @Test
    void usersDriftTowardsTheirSecondaryClusterOverTime() {
        SyntheticMovieLens gen = SyntheticMovieLens.generate(SMALL.withSize(300, 300, 40));
        Split split = Split.leaveLastOut(gen.data().interactions());
        Interactions x = gen.data().interactions();
        int[] firstRow = new int[x.numUsers()];
        long[] firstTime = new long[x.numUsers()];
        java.util.Arrays.fill(firstTime, Long.MAX_VALUE);
        for (int i = 0; i < x.size(); i++) {
            if (x.timestamp(i) < firstTime[x.user(i)]) {
                firstTime[x.user(i)] = x.timestamp(i);
                firstRow[x.user(i)] = i;
            }
        }
        int lastSecondary = 0;
        int firstSecondary = 0;
        for (int r = 0; r < split.test().size(); r++) {
            int u = split.test().user(r);
            lastSecondary += gen.itemCluster(split.test().item(r)) == gen.userSecondaryCluster(u) ? 1 : 0;
            firstSecondary += gen.itemCluster(x.item(firstRow[u])) == gen.userSecondaryCluster(u) ? 1 : 0;
        }

        assertThat(lastSecondary).isGreaterThan(firstSecondary);
    }

    @Test
    void badConfigurations() {
        SyntheticMovieLens.Config d = SyntheticMovieLens.Config.defaults();
        assertThatThrownBy(() -> d.withSize(0, 10, 10)).hasMessage("users must be > 0, got 0");
        assertThatThrownBy(() -> d.withLatent(8, 1)).hasMessageContaining("clusters must be >= 2");
        assertThatThrownBy(() -> d.withNoise(-1, 1)).hasMessageContaining("noise must be finite and >= 0");
        assertThatThrownBy(() -> d.withNoise(0, 0)).hasMessageContaining("temperature must be finite and > 0");
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i] / n;
            mb += b[i] / n;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
