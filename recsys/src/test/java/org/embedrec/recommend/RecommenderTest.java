package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.ModelFileException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recommender of a spec model trained on the generated shop, built in memory and loaded
 * back from its directory: the planted structure in its answers (a new customer answered from
 * her country and device alone, an item no one bought retrieved from its features), every field
 * of a query, the popularity fallback, the errors, and answers that are the same bits after a
 * save and load and under concurrent use.
 */
class RecommenderTest {
    @TempDir
    static Path dir;
    static ShopRecommender shop;
    static Recommender built;
    static Recommender loaded;

    @BeforeAll
    static void trainSaveAndLoad() throws Exception {
        shop = ShopRecommender.train(dir.resolve("data"), ShopRecommender.SPEC, SyntheticShop.Config.small(7), 42);
        built = shop.recommender();
        built.save(dir.resolve("model"));
        loaded = Recommender.load(dir.resolve("model"));
    }

    private static List<String> ids(Recommendations r) {
        return r.items().stream().map(RecommendedItem::itemId).toList();
    }

    /** The share of {@code items} of category {@code category}. */
    private static double share(List<RecommendedItem> items, String category) {
        return items.stream().filter(i -> category.equals(i.attributes().get("category"))).count()
                / (double) items.size();
    }

    private static Query newCustomer(int country, int device) {
        return Query.features(Map.of("country", "country" + country, "device", SyntheticShop.DEVICES[device])).build();
    }

    @Test
    void aModelThatReadsNoHistoryRefusesOneNamingTheField() {
        assertThatThrownBy(() -> loaded.recommend(Query.user("u1").history(List.of("i1")).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("history: the feature-model model")
                .hasMessageContaining("reads no history");
    }

    @Test
    void aNewCustomerIsAnsweredFromHerFeaturesWithThePlantedCategoryFarAbovePopularity() {
        double planted = 0;
        double popular = 0;
        int cases = 0;
        for (int country = 0; country < shop.config().countries(); country++) {
            for (int device = 0; device < SyntheticShop.DEVICES.length; device++) {
                Recommendations r = loaded.recommend(newCustomer(country, device));
                assertThat(r.source()).isEqualTo(Recommendations.Source.FEATURES);
                assertThat(r.items()).hasSize(10);
                String category = shop.plantedCategory(country, device);
                planted += share(r.items(), category);
                popular += share(loaded.recommend(Query.user("someone-new").build()).items(), category);
                cases++;
            }
        }
        // 9 in 10 purchases are of the planted category, among 5 categories: the model should
        // fill its top 10 with it, where the popular items spread over all five (about 0.2).
        assertThat(planted / cases).isGreaterThan(0.8);
        assertThat(popular / cases).isLessThan(0.4);
    }

    @Test
    void anItemNoOneBoughtIsInTheCatalogueAndRetrievedFromItsFeatures() {
        Catalogue catalogue = loaded.catalogue();
        int row = catalogue.row(ShopRecommender.NEW_ITEM);
        assertThat(row).isEqualTo(catalogue.size() - 1);
        assertThat(catalogue.interactions(row)).isZero();
        // Its nearest items are those of its own category, which it shares only through its features.
        Recommendations near = loaded.similar(ShopRecommender.NEW_ITEM, 10);
        assertThat(share(near.items(), ShopRecommender.NEW_ITEM_CATEGORY)).isGreaterThanOrEqualTo(0.8);
        // Among its category, for a customer who buys from it, it ranks in the upper part.
        int country = 2;
        Query cat2 = newCustomer(country, 0).toBuilder().k(Query.MAX_K)
                .filter(ItemFilter.where("category", ShopRecommender.NEW_ITEM_CATEGORY)).build();
        assertThat(shop.plantedCategory(country, 0)).isEqualTo(ShopRecommender.NEW_ITEM_CATEGORY);
        List<String> ranked = ids(loaded.recommend(cat2));
        assertThat(ranked).hasSize(51).contains(ShopRecommender.NEW_ITEM);
        // And it scores higher for that customer than for one whose planted category is another.
        float forCat2 = loaded.score(newCustomer(country, 0), List.of(ShopRecommender.NEW_ITEM)).items().get(0).score();
        float forCat3 = loaded.score(newCustomer(3, 0), List.of(ShopRecommender.NEW_ITEM)).items().get(0).score();
        assertThat(shop.plantedCategory(3, 0)).isEqualTo("cat3");
        assertThat(forCat2).isGreaterThan(forCat3);
    }

    @Test
    void aSavedAndLoadedRecommenderGivesTheSameAnswersBitForBit() {
        List<Query> queries = sampleQueries();
        for (Query q : queries) {
            assertThat(loaded.recommend(q)).as(q.toString()).isEqualTo(built.recommend(q));
            List<String> some = List.of("i3", "i17", ShopRecommender.NEW_ITEM);
            assertThat(loaded.score(q, some)).as(q.toString()).isEqualTo(built.score(q, some));
        }
        for (String item : List.of("i0", "i42", ShopRecommender.NEW_ITEM)) {
            assertThat(loaded.similar(item, 7)).isEqualTo(built.similar(item, 7));
        }
        assertThat(loaded.info().provenance()).isEqualTo(built.info().provenance());
        assertThat(loaded.info().version()).isEqualTo(1);
        assertThat(built.info().version()).isZero();
        assertThat(loaded.recentItems("u5")).isEqualTo(built.recentItems("u5")).isNotEmpty();
    }

    /** Known users at their defaults and with a feature or the time replaced, new customers, unknown users, filters. */
    private static List<Query> sampleQueries() {
        List<Query> out = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            String user = SyntheticShop.userId(u);
            out.add(Query.user(user).excludeSeen(u % 2 == 0).build());
            out.add(Query.user(user).feature("device", "tv").k(5).build());
            out.add(Query.user(user).at(1_700_000_000L + u * 10_000L).exclude(List.of("i0", "i5")).build());
        }
        for (int c = 0; c < 5; c++) {
            out.add(newCustomer(c, c % 2).toBuilder().feature("age_band", "28").build());
            out.add(newCustomer(c, 1).toBuilder().filter(ItemFilter.where("category", "cat1")).k(3).build());
        }
        out.add(Query.user("nobody").build());
        out.add(Query.user("u1").filter(ItemFilter.allowOnly(List.of("i9", "i1", "i4", "nope"))).build());
        return out;
    }

    @Test
    void aKnownUserIsAnsweredAtTheirLatestFeaturesAndTimeWithSeenItemsMarkedOrLeftOut() {
        String user = "u7";
        UserHistory history = built.history();
        int row = history.row(user);
        Recommendations all = loaded.recommend(Query.user(user).k(60).build());
        assertThat(all.source()).isEqualTo(Recommendations.Source.USER);
        assertThat(all.time()).hasValue(history.latestTimestamp(row));
        for (RecommendedItem item : all.items()) {
            assertThat(item.seen()).as(item.itemId())
                    .isEqualTo(history.hasSeen(row, loaded.catalogue().row(item.itemId())));
        }
        assertThat(all.items()).anyMatch(RecommendedItem::seen);

        Recommendations unseen = loaded.recommend(Query.user(user).k(60).excludeSeen(true).build());
        assertThat(unseen.items()).hasSize(60).noneMatch(RecommendedItem::seen);
        // Leaving out the seen items keeps the order of the rest.
        List<String> expected = all.items().stream().filter(i -> !i.seen()).map(RecommendedItem::itemId).toList();
        assertThat(ids(unseen).subList(0, expected.size())).isEqualTo(expected);
        // Scores descend.
        for (int i = 1; i < unseen.items().size(); i++) {
            assertThat(unseen.items().get(i).score()).isLessThanOrEqualTo(unseen.items().get(i - 1).score());
        }
    }

    @Test
    void theQuerysFeaturesAndTimeReplaceTheUsersOwn() {
        String user = "u3";
        Recommendations defaults = loaded.recommend(Query.user(user).build());
        int country = SyntheticShop.country(3, shop.config());
        for (int device = 0; device < 2; device++) {
            Recommendations on = loaded.recommend(Query.user(user).feature("device", SyntheticShop.DEVICES[device])
                    .build());
            assertThat(share(on.items(), shop.plantedCategory(country, device))).isGreaterThan(0.6);
        }
        Recommendations later = loaded.recommend(Query.user(user).at(1_800_000_000L).build());
        assertThat(later.time()).hasValue(1_800_000_000L);
        assertThat(later.items()).isNotEqualTo(defaults.items());
        // Naming the default values explicitly is the same query, computed through the tower.
        long latest = built.history().latestTimestamp(built.history().row(user));
        assertThat(ids(loaded.recommend(Query.user(user).at(latest).build()))).isEqualTo(ids(defaults));
    }

    @Test
    void theExcludeListAllowListAndAttributeFilterRestrictTheAnswerWithoutReorderingIt() {
        Query base = Query.user("u11").k(Query.MAX_K).build();
        List<String> full = ids(loaded.recommend(base));
        assertThat(full).hasSize(loaded.catalogue().size());

        List<String> excluded = List.of(full.get(0), full.get(3), "not-an-item");
        List<String> rest = ids(loaded.recommend(base.toBuilder().k(5).exclude(excluded).build()));
        assertThat(rest).isEqualTo(full.stream().filter(i -> !excluded.contains(i)).limit(5).toList());

        List<String> allowed = List.of("i200", "i7", "i100", "i13", "unknown-id");
        Recommendations shortlist = loaded.recommend(base.toBuilder().filter(ItemFilter.allowOnly(allowed)).build());
        assertThat(ids(shortlist)).isEqualTo(full.stream().filter(allowed::contains).toList());
        // Scored by the same kernel call as the full search: the same bits.
        Recommendations first = loaded.recommend(base.toBuilder().k(1).build());
        Recommendations alone = loaded.recommend(base.toBuilder()
                .filter(ItemFilter.allowOnly(List.of(first.items().get(0).itemId()))).build());
        assertThat(alone.items()).isEqualTo(first.items());

        Recommendations cat4 = loaded.recommend(base.toBuilder().k(8)
                .filter(ItemFilter.where("category", "cat4").and("tags", "c4|even")).build());
        assertThat(cat4.items()).hasSize(8).allSatisfy(i -> {
            assertThat(i.attributes()).containsEntry("category", "cat4").containsEntry("tags", "c4|even");
        });
        assertThat(ids(cat4)).isEqualTo(full.stream()
                .filter(i -> "cat4".equals(shop.category(i))
                        && "c4|even".equals(loaded.catalogue().attribute(loaded.catalogue().row(i), "tags")))
                .limit(8).toList());
    }

    @Test
    void aUserNeverSeenWithNoFeaturesGetsTheMostPopularItemsMarkedAsSuch() {
        Recommendations r = loaded.recommend(Query.user("someone-new").k(20).excludeSeen(true)
                .exclude(List.of("i0")).build());
        assertThat(r.source()).isEqualTo(Recommendations.Source.POPULARITY);
        assertThat(r.time()).isEmpty();
        Catalogue c = loaded.catalogue();
        long previous = Long.MAX_VALUE;
        for (RecommendedItem item : r.items()) {
            long count = c.interactions(c.row(item.itemId()));
            assertThat(count).isLessThanOrEqualTo(previous);
            assertThat(item.score()).isEqualTo(c.popularity(c.row(item.itemId())));
            assertThat(item.seen()).isFalse();
            previous = count;
        }
        assertThat(ids(r)).doesNotContain("i0");
        // The most popular item overall is first unless excluded.
        int top = c.rowsByPopularity()[0];
        assertThat(ids(loaded.recommend(Query.builder().build())).get(0)).isEqualTo(c.itemId(top));
        assertThat(loaded.score(Query.builder().build(), List.of("i1")).kind()).isEqualTo(Scores.Kind.POPULARITY);
    }

    @Test
    void scoresAreTheRatingHeadsPredictionsInTheOrderGiven() {
        Scores s = loaded.score("u2", List.of("i9", "i0", ShopRecommender.NEW_ITEM));
        assertThat(s.kind()).isEqualTo(Scores.Kind.RATING);
        assertThat(s.source()).isEqualTo(Recommendations.Source.USER);
        assertThat(s.items()).extracting(Scores.ItemScore::itemId).containsExactly("i9", "i0", ShopRecommender.NEW_ITEM);
        // Ratings are 4-5 for the planted category and 1-2 otherwise: a customer on her planted
        // category's items scores well above the others.
        int country = 0;
        int device = 1;
        String planted = shop.plantedCategory(country, device);
        List<String> inPlanted = new ArrayList<>();
        List<String> outside = new ArrayList<>();
        for (String id : loaded.catalogue().itemIds()) {
            (planted.equals(shop.category(id)) ? inPlanted : outside).add(id);
        }
        double meanIn = mean(loaded.score(newCustomer(country, device), inPlanted));
        double meanOut = mean(loaded.score(newCustomer(country, device), outside));
        assertThat(meanIn - meanOut).isGreaterThan(1.5);
    }

    private static double mean(Scores s) {
        return s.items().stream().mapToDouble(Scores.ItemScore::score).average().orElseThrow();
    }

    @Test
    void kIsAnUpperBoundUpToTheLimitAndRefusedBeyondIt() {
        int size = loaded.catalogue().size();
        assertThat(loaded.recommend(Query.user("u1").k(Query.MAX_K).build()).items()).hasSize(size);
        int seen = built.history().seenCount(built.history().row("u1"));
        assertThat(loaded.recommend(Query.user("u1").k(Query.MAX_K).excludeSeen(true).build()).items())
                .hasSize(size - seen);
        assertThatThrownBy(() -> Query.user("u1").k(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("k = 0; expected 1 to 10000");
        assertThatThrownBy(() -> Query.user("u1").k(Query.MAX_K + 1).build())
                .hasMessage("k = 10001; expected 1 to 10000");
        assertThatThrownBy(() -> loaded.similar("i1", -3)).hasMessage("k = -3; expected 1 to 10000");
    }

    @Test
    void badQueriesNameTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> loaded.recommend(Query.user("u1").feature("colour", "red").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features['colour']: the model's query tower reads no such feature; it reads country, "
                        + "age_band, device (besides the user id and the time)");
        assertThatThrownBy(() -> loaded.recommend(Query.features(Map.of("user_id", "u1")).build()))
                .hasMessage("features['user_id']: the user id is the query's user, not a feature");
        assertThatThrownBy(() -> loaded.recommend(Query.features(Map.of("timestamp", "5")).build()))
                .hasMessage("features['timestamp']: the time is the query's time, not a feature");
        assertThatThrownBy(() -> loaded.recommend(Query.features(Map.of("age_band", "old")).build()))
                .hasMessageContaining("feature 'age_band'").hasMessageContaining("'old'");
        assertThatThrownBy(() -> loaded.recommend(Query.user("u1").filter(ItemFilter.where("colour", "red")).build()))
                .hasMessage("filter.attributeEquals: the items have no attribute 'colour'; they have category, price, "
                        + "tags");
        assertThatThrownBy(() -> loaded.similar("nope", 5))
                .hasMessageStartingWith("itemId 'nope': no such item in the catalogue (251 items, e.g. ");
        assertThatThrownBy(() -> loaded.score("u1", List.of("i1", "nope")))
                .hasMessageStartingWith("itemIds[1] 'nope': no such item in the catalogue");
        assertThatThrownBy(() -> Query.user(" ").build()).hasMessageStartingWith("userId: blank");
        assertThatThrownBy(() -> loaded.recommendAll(List.of(Query.user("u1").build(),
                Query.user("u1").feature("colour", "x").build())))
                .hasMessageStartingWith("queries[1].features['colour']");
        // A feature's own name is accepted for its column; two names of one column must agree.
        assertThat(loaded.recommend(Query.features(Map.of("country", "country1")).build()).source())
                .isEqualTo(Recommendations.Source.FEATURES);
    }

    @Test
    void concurrentQueriesGetTheAnswersOfSequentialOnes() throws Exception {
        List<Query> queries = sampleQueries();
        List<Recommendations> sequential = new ArrayList<>();
        for (Query q : queries) {
            sequential.add(loaded.recommend(q));
        }
        assertThat(loaded.recommendAll(queries)).isEqualTo(sequential);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Recommendations>>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    // Each thread walks the queries from its own starting point, so different
                    // queries run at the same moment.
                    Recommendations[] answers = new Recommendations[queries.size()];
                    for (int i = 0; i < queries.size(); i++) {
                        int q = (i + offset * 17) % queries.size();
                        answers[q] = loaded.recommend(queries.get(q));
                    }
                    return List.of(answers);
                }));
            }
            for (Future<List<Recommendations>> run : runs) {
                assertThat(run.get()).isEqualTo(sequential);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void answersAndTheSavedFilesDoNotDependOnTheThreadCount(@TempDir Path tmp) throws Exception {
        List<Query> queries = sampleQueries();
        int saved = org.embedrec.engine.Parallel.threads();
        List<Recommendations> one;
        try {
            org.embedrec.engine.Parallel.setThreads(1);
            one = new ArrayList<>();
            for (Query q : queries) {
                one.add(loaded.recommend(q));
            }
            Recommender.load(dir.resolve("model")).save(tmp.resolve("one"));
            org.embedrec.engine.Parallel.setThreads(3);
            assertThat(loaded.recommendAll(queries)).isEqualTo(one);
            Recommender.load(dir.resolve("model")).save(tmp.resolve("three"));
        } finally {
            org.embedrec.engine.Parallel.setThreads(saved);
        }
        assertThat(Files.readString(tmp.resolve("three/1/" + AtomicFiles.MANIFEST)))
                .isEqualTo(Files.readString(tmp.resolve("one/1/" + AtomicFiles.MANIFEST)));
    }

    @Test
    void theInfoSaysWhatIsServed() {
        ModelInfo info = loaded.info();
        assertThat(info.kind()).isEqualTo("feature-model");
        assertThat(info.model()).isEqualTo("MultiTaskModel");
        assertThat(info.items()).isEqualTo(251);
        assertThat(info.queryColumns()).containsExactly("country", "age_band", "device");
        assertThat(info.itemAttributes()).containsExactly("category", "price", "tags");
        assertThat(info.index()).isEqualTo("exact");
        assertThat(info.similarItems()).isTrue();
        assertThat(info.scoreKind()).isEqualTo(Scores.Kind.RATING);
        assertThat(info.provenance().path("data_fingerprint").asText()).startsWith("sha256:").hasSize(71);
        assertThat(info.provenance().path("embedrec_version").asText()).isNotEmpty();
        assertThat(info.provenance().path("split").asText()).isEqualTo("random:0.8");
        assertThat(info.provenance().path("metrics").path("top_10_accuracy").asDouble()).isGreaterThan(0.1);
    }

    @Test
    void anHnswIndexIsRebuiltFromItsSavedParametersAndFindsNearlyTheExactAnswers(@TempDir Path tmp) throws Exception {
        Recommender hnsw = built.withIndex(new IndexSettings(IndexSettings.Kind.HNSW,
                org.embedrec.index.HnswIndex.Settings.DEFAULT.withEfSearch(20)));
        hnsw.save(tmp.resolve("hnsw"));
        Recommender back = Recommender.load(tmp.resolve("hnsw"));
        assertThat(back.indexSettings()).isEqualTo(hnsw.indexSettings());
        int same = 0;
        int total = 0;
        for (Query q : sampleQueries()) {
            assertThat(back.recommend(q)).isEqualTo(hnsw.recommend(q));
            Set<String> exact = new HashSet<>(ids(built.recommend(q)));
            for (String id : ids(hnsw.recommend(q))) {
                same += exact.contains(id) ? 1 : 0;
            }
            total += exact.size();
        }
        assertThat(same / (double) total).isGreaterThan(0.9);
    }

    @Test
    void changingOnlyEfSearchSharesTheGraphAndAnswersAsAGraphBuiltWithIt() {
        org.embedrec.index.HnswIndex.Settings narrow = org.embedrec.index.HnswIndex.Settings.DEFAULT.withEfSearch(1);
        Recommender built2 = built.withIndex(new IndexSettings(IndexSettings.Kind.HNSW, narrow));
        IndexSettings wide = new IndexSettings(IndexSettings.Kind.HNSW, narrow.withEfSearch(100));
        Recommender widened = built2.withIndex(wide);
        Recommender fresh = built.withIndex(IndexSettings.EXACT).withIndex(wide); // from exact: a new graph
        assertThat(widened.indexSettings()).isEqualTo(wide);
        int differs = 0;
        for (Query q : sampleQueries()) {
            assertThat(widened.recommend(q)).isEqualTo(fresh.recommend(q));
            differs += widened.recommend(q).equals(built2.recommend(q)) ? 0 : 1;
        }
        assertThat(differs).as("efSearch 1 and 100 answer some query differently").isPositive();
    }

    @Test
    void aHalfWrittenDamagedOrMixedDirectoryIsRefusedWithTheFileNamed(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("model");
        built.save(model);
        Path version = AtomicFiles.currentVersion(model);
        // A second version in the middle of being copied in by hand: no manifest yet.
        Path next = Files.createDirectories(model.resolve("2"));
        Files.copy(version.resolve("model.json"), next.resolve("model.json"));
        assertThatThrownBy(() -> Recommender.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("2: no manifest.json, so not a complete saved version");
        Files.delete(next.resolve("model.json"));
        Files.delete(next);

        // A file changed after the save.
        Path serving = version.resolve("serving.json");
        String json = Files.readString(serving);
        Files.writeString(serving, json.replace("\"default_time\"", "\"default_time\" : 1, \"was\""));
        assertThatThrownBy(() -> Recommender.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("1/serving.json: ").hasMessageContaining("after its save");
        Files.writeString(serving, json);
        assertThat(Recommender.load(model).recommend(Query.user("u1").build()))
                .isEqualTo(built.recommend(Query.user("u1").build()));

        // Files of two saves put together by hand in a flat directory, which has no manifest.
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        for (String f : List.of("model.json", "weights.safetensors", "serving.json", "serving.safetensors")) {
            Files.copy(version.resolve(f), flat.resolve(f));
        }
        assertThat(Recommender.load(flat).info().version()).isZero();
        String crc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("weights_crc32c").asText();
        Files.writeString(flat.resolve("serving.json"), json.replace(crc, "12345"));
        assertThatThrownBy(() -> Recommender.load(flat)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("serving.json: belongs to weights of checksum 12345")
                .hasMessageContaining("files from two saves");

        // The model files alone, as FeatureModelFiles.save writes them: nothing to answer with.
        Files.delete(flat.resolve("serving.json"));
        assertThatThrownBy(() -> Recommender.load(flat)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("no serving.json: this model was saved without what answering queries needs");
        assertThatThrownBy(() -> Recommender.load(tmp.resolve("nowhere"))).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("nowhere: no such directory");
        assertThatThrownBy(() -> Recommender.load(tmp)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("not a saved model (no model.json)");
    }

    @Test
    void savingTwiceWritesTheSameBytes(@TempDir Path tmp) throws Exception {
        built.save(tmp.resolve("a"));
        loaded.save(tmp.resolve("b"));
        for (String f : List.of("model.json", "weights.safetensors", "serving.json", "serving.safetensors",
                AtomicFiles.MANIFEST)) {
            // Compared as text or by digest, so that a failure shows the difference rather than two byte arrays.
            Path a = tmp.resolve("a/1/" + f);
            Path b = tmp.resolve("b/1/" + f);
            if (f.endsWith(".json")) {
                assertThat(Files.readString(b)).as(f).isEqualTo(Files.readString(a));
            } else {
                assertThat(java.util.Arrays.hashCode(Files.readAllBytes(b))).as(f)
                        .isEqualTo(java.util.Arrays.hashCode(Files.readAllBytes(a)));
            }
        }
    }
}
