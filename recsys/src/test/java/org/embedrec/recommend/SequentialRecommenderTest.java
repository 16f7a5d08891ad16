package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.Rng;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.ModelFileException;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.PopularityModel;
import org.embedrec.models.sequential.SasRec;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A next-item model saved and answering through {@link Recommender}, on planted walks: user
 * {@code uN} walks the catalogue in steps of +1 (even N) or +3 (odd N) from a seeded start, one
 * item per time step, so the next item follows from the history alone.
 */
class SequentialRecommenderTest {
    static final int ITEMS = 30;
    static final int LENGTH = 8;

    @TempDir
    static Path tmp;
    static RatingsData data;
    static NextItemSplit split;
    static SequenceEncoder trained;
    static Path sasrecDir;
    static Path popDir;
    static Map<String, Double> metrics;

    /** The walks: user u's start item, then its stride. */
    static Interactions walks(int users, long seed) {
        Rng rng = new Rng(seed);
        Interactions.Builder b = Interactions.builder().hasTimestamps(true);
        for (int u = 0; u < users; u++) {
            int item = rng.nextInt(ITEMS);
            int stride = u % 2 == 0 ? 1 : 3;
            for (int t = 0; t < LENGTH; t++) {
                b.add(u, item, 1, 1_000 + t);
                item = (item + stride) % ITEMS;
            }
        }
        List<String> userIds = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            userIds.add("u" + u);
        }
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            itemIds.add("i" + i);
        }
        return b.build(IdMapping.of(userIds), IdMapping.of(itemIds));
    }

    @BeforeAll
    static void trainAndSave() throws IOException {
        data = RatingsData.of("walks", walks(200, 5));
        split = NextItemSplit.leaveLastOut(data.interactions());
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 16, 1, 2, LENGTH, 0.0, 0.01, 32, 20,
                NextItemLoss.SOFTMAX, 10, 3);
        trained = SequentialModels.fit(config, split, 100).model();
        trained.setTraining(false);
        metrics = NextItemEvaluation.evaluate(trained, split.test(), 1);
        sasrecDir = tmp.resolve("sasrec");
        SequentialModelFiles.save(sasrecDir, SasRec.NAME, config, trained, data, metrics, 1);
        popDir = tmp.resolve("pop");
        PopularityModel pop = PopularityModel.fit(split.train());
        SequentialModelFiles.save(popDir, PopularityModel.NAME, null, pop,
                data, NextItemEvaluation.evaluate(pop, split.test(), 1), 1);
    }

    /** User u's items, oldest first, without the last (the test item): what the saved history holds. */
    static List<String> savedHistory(int user) {
        Interactions all = data.interactions();
        List<String> out = new ArrayList<>();
        int[] seq = org.embedrec.data.UserSequences.of(all).items(user);
        for (int k = 0; k < seq.length - 1; k++) {
            out.add(all.items().rawId(seq[k]));
        }
        return out;
    }

    @Test
    void aLoadedModelScoresBitForBitAsTheTrainedOne() throws IOException {
        SequentialModelFiles.Loaded loaded = SequentialModelFiles.load(sasrecDir);
        int[][] histories = split.test().histories();
        float[][] before = trained.scores(histories);
        float[][] after = loaded.scorer().scores(histories);
        for (int i = 0; i < histories.length; i++) {
            assertThat(after[i]).as("history %d", i).isEqualTo(before[i]);
        }
        assertThat(NextItemEvaluation.evaluate(loaded.scorer(), split.test(), 1)).isEqualTo(metrics);
        assertThat(loaded.provenance().path("metrics").path("hr@10").asDouble()).isEqualTo(metrics.get("hr@10"));
        assertThat(loaded.provenance().path("split").asText()).isEqualTo("leave-last-out");
        assertThat(loaded.provenance().path("data_fingerprint").asText()).startsWith("sha256:");
    }

    @Test
    void aKnownUserIsAnsweredFromTheirSavedHistoryAndRanksThePlantedNextItemFirst() throws IOException {
        Recommender r = Recommender.load(sasrecDir);
        assertThat(r.info().kind()).isEqualTo("next-item");
        int hits = 0;
        for (int i = 0; i < split.test().size(); i++) {
            String user = "u" + split.test().users()[i];
            Recommendations answer = r.recommend(Query.user(user).k(1).excludeSeen(true).build());
            assertThat(answer.source()).isEqualTo(Recommendations.Source.USER);
            if (answer.items().get(0).itemId().equals("i" + split.test().targets()[i])) {
                hits++;
            }
        }
        // The test item ranked first for a known user is the test metric hr@1 (the same history, the same exclusions).
        assertThat((double) hits / split.test().size()).isGreaterThan(0.8)
                .isCloseTo(metrics.get("hr@1"), org.assertj.core.api.Assertions.within(0.02));
        // Recent items: newest first, the test item held out.
        List<String> saved = savedHistory(4);
        assertThat(r.recentItems("u4").get(0)).isEqualTo(saved.get(saved.size() - 1));
    }

    @Test
    void aHistoryQueryOfTheSavedHistoryAnswersAsTheKnownUser() throws IOException {
        Recommender r = Recommender.load(sasrecDir);
        for (boolean excludeSeen : new boolean[] {false, true}) {
            Recommendations known = r.recommend(Query.user("u7").k(12).excludeSeen(excludeSeen).build());
            Recommendations given = r.recommend(Query.builder().history(savedHistory(7)).k(12)
                    .excludeSeen(excludeSeen).build());
            assertThat(given.source()).isEqualTo(Recommendations.Source.HISTORY);
            assertThat(given.items()).isEqualTo(known.items());
            assertThat(given.unknownHistory()).isEmpty();
        }
        // Seen items are the history's: excluded on request, marked otherwise.
        Recommendations marked = r.recommend(Query.builder().history(List.of("i3", "i4")).k(ITEMS).build());
        assertThat(marked.items()).filteredOn(RecommendedItem::seen).extracting(RecommendedItem::itemId)
                .containsExactlyInAnyOrder("i3", "i4");
        Recommendations excluded = r.recommend(Query.builder().history(List.of("i3", "i4")).k(ITEMS)
                .excludeSeen(true).build());
        assertThat(excluded.items()).hasSize(ITEMS - 2).extracting(RecommendedItem::itemId).doesNotContain("i3", "i4");
    }

    @Test
    void aKnownUsersQueryHistoryExtendsTheSavedOne() throws IOException {
        Recommender r = Recommender.load(sasrecDir);
        List<String> extended = new ArrayList<>(savedHistory(9));
        extended.add("i0");
        extended.add("i1");
        Recommendations known = r.recommend(Query.user("u9").history(List.of("i0", "i1")).k(5).build());
        Recommendations given = r.recommend(Query.builder().history(extended).k(5).build());
        assertThat(known.source()).isEqualTo(Recommendations.Source.USER);
        assertThat(known.items()).isEqualTo(given.items());
        // A walk of stride +1 ending at i1: the model's next item is i2.
        Recommendations walk = r.recommend(Query.builder().history(List.of("i25", "i26", "i27", "i28", "i29", "i0",
                "i1")).k(1).build());
        assertThat(walk.items().get(0).itemId()).isEqualTo("i2");
    }

    @Test
    void unknownHistoryIdsAreSkippedAndReported() throws IOException {
        Recommender r = Recommender.load(sasrecDir);
        Recommendations withUnknown = r.recommend(Query.builder().history(List.of("i3", "no-such", "i4", "nor-this"))
                .k(5).build());
        Recommendations clean = r.recommend(Query.builder().history(List.of("i3", "i4")).k(5).build());
        assertThat(withUnknown.unknownHistory()).containsExactly("no-such", "nor-this");
        assertThat(withUnknown.items()).isEqualTo(clean.items());
        assertThat(withUnknown.source()).isEqualTo(Recommendations.Source.HISTORY);
    }

    @Test
    void withoutAUsableHistoryTheAnswerIsThePopularityFallbackMarkedAsSuch() throws IOException {
        Recommender r = Recommender.load(sasrecDir);
        Recommendations nobody = r.recommend(Query.user("stranger").k(3).build());
        Recommendations unknownOnly = r.recommend(Query.builder().history(List.of("gone")).k(3).build());
        assertThat(nobody.source()).isEqualTo(Recommendations.Source.POPULARITY);
        assertThat(unknownOnly.source()).isEqualTo(Recommendations.Source.POPULARITY);
        assertThat(unknownOnly.unknownHistory()).containsExactly("gone");
        assertThat(unknownOnly.items()).isEqualTo(nobody.items());
        // The most interacted-with training items, as counted from the training sequences.
        int[] counts = split.train().itemCounts();
        int best = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        assertThat(nobody.items().get(0).itemId()).isEqualTo("i" + best);
    }

    @Test
    void popAnswersKnownUsersByPopularityWithoutWhatTheySaw() throws IOException {
        Recommender r = Recommender.load(popDir);
        Recommendations known = r.recommend(Query.user("u2").k(ITEMS).excludeSeen(true).build());
        Recommendations fallback = r.recommend(Query.builder().k(ITEMS).build());
        assertThat(known.source()).isEqualTo(Recommendations.Source.USER);
        List<String> expected = new ArrayList<>();
        for (RecommendedItem item : fallback.items()) {
            if (!savedHistory(2).contains(item.itemId())) {
                expected.add(item.itemId());
            }
        }
        assertThat(known.items()).extracting(RecommendedItem::itemId).isEqualTo(expected);
        assertThat(SequentialModelFiles.load(popDir).provenance().path("metrics").path("hr@10").asDouble())
                .isEqualTo(NextItemEvaluation.evaluate(PopularityModel.fit(split.train()), split.test(), 1)
                        .get("hr@10"));
    }

    @Test
    void answersInParallelEqualThoseOneByOne() throws IOException {
        Recommender r = Recommender.load(sasrecDir);
        List<Query> queries = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            queries.add(u % 3 == 0 ? Query.builder().history(savedHistory(u)).k(7).build()
                    : Query.user("u" + u).k(7).excludeSeen(u % 2 == 0).build());
        }
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            List<Recommendations> together = r.recommendAll(queries);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(together.get(i)).isEqualTo(r.recommend(queries.get(i)));
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void weightsOfAnotherSaveAreRefusedNamingTheFile() throws IOException {
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        for (String f : new String[] {"model.json", "weights.safetensors"}) {
            Path from = f.equals("model.json") ? AtomicFiles.currentVersion(sasrecDir) : AtomicFiles.currentVersion(popDir);
            Files.copy(from.resolve(f), other.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        assertThatThrownBy(() -> Recommender.load(other)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("weights.safetensors").hasMessageContaining("checksum");
    }
}
