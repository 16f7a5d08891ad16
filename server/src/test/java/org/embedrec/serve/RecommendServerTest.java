package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.Scores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint answers what the {@link Recommender} itself answers, as JSON. */
class RecommendServerTest {
    @TempDir
    static Path tmp;
    static ShopServer shop;
    static Recommender direct;

    @BeforeAll
    static void start() throws Exception {
        shop = ShopServer.start(tmp);
        direct = Recommender.load(ShopServer.FROZEN);
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    @Test
    void recommendForAKnownUserIsTheRecommendersAnswer() {
        JsonNode answer = ok(shop.get("/recommend?user=u13&k=7&exclude_seen=true"));
        Recommendations expected = direct.recommend(Query.user("u13").k(7).excludeSeen(true).build());
        assertThat(answer.get("source").asText()).isEqualTo("user");
        assertThat(answer.get("model").asText()).isEqualTo("default");
        assertThat(answer.get("version").asLong()).isEqualTo(1);
        assertSameItems(answer.get("items"), expected.items());
        assertThat(answer.get("items")).allSatisfy(item -> assertThat(item.get("seen").asBoolean()).isFalse());
    }

    @Test
    void theTimeParameterIsTheQuerysTime() {
        JsonNode answer = ok(shop.get("/recommend?user=u13&at=1700000000"));
        Recommendations expected = direct.recommend(Query.user("u13").at(1_700_000_000L).build());
        assertThat(answer.get("time").asLong()).isEqualTo(1_700_000_000L);
        assertSameItems(answer.get("items"), expected.items());
    }

    @Test
    void postAnswersARowOfFeaturesWithExclusionsAndFilters() {
        String body = """
                {"features": {"country": "c1", "device": "d0", "age_band": 28}, "k": 4,
                 "exclude": ["i5"], "filter": {"attributes": {"category": "cat2"}}}""";
        JsonNode answer = ok(shop.post("/recommend", body));
        Recommendations expected = direct.recommend(Query.features(Map.of("country", "c1", "device", "d0",
                "age_band", "28")).k(4).exclude(List.of("i5"))
                .filter(org.embedrec.recommend.ItemFilter.where("category", "cat2")).build());
        assertThat(answer.get("source").asText()).isEqualTo("features");
        assertSameItems(answer.get("items"), expected.items());
        assertThat(answer.get("items")).isNotEmpty().allSatisfy(item ->
                assertThat(item.get("attributes").get("category").asText()).isEqualTo("cat2"));
    }

    @Test
    void theAttributesParameterChoosesWhatTheItemsCarry() {
        assertThat(direct.catalogue().attributeNames()).contains("category").hasSizeGreaterThan(1);
        JsonNode all = ok(shop.get("/recommend?user=u13&k=4"));
        assertThat(all.get("items")).allSatisfy(item -> assertThat(fieldNames(item.get("attributes")))
                .containsExactlyElementsOf(direct.catalogue().attributes(direct.catalogue().row(item.get("id").asText()))
                        .keySet()));
        JsonNode none = ok(shop.get("/recommend?user=u13&k=4&attributes="));
        assertThat(ids(none.get("items"))).isEqualTo(ids(all.get("items")));
        assertThat(none.get("items")).allSatisfy(item -> assertThat(item.has("attributes")).isFalse());
        JsonNode category = ok(shop.post("/recommend", "{\"user\": \"u13\", \"k\": 4, \"attributes\": [\"category\"]}"));
        assertThat(ids(category.get("items"))).isEqualTo(ids(all.get("items")));
        for (int i = 0; i < 4; i++) {
            assertThat(fieldNames(category.get("items").get(i).get("attributes"))).containsExactly("category");
            assertThat(category.get("items").get(i).get("attributes").get("category"))
                    .isEqualTo(all.get("items").get(i).get("attributes").get("category"));
        }
        assertThat(ok(shop.get("/similar?item=i4&k=3&attributes=category")).get("items")).hasSize(3)
                .allSatisfy(item -> assertThat(fieldNames(item.get("attributes"))).containsExactly("category"));
        JsonNode batch = ok(shop.post("/batch", """
                {"queries": [{"user": "u13", "k": 2}, {"user": "u13", "k": 2, "attributes": []}]}"""));
        assertThat(batch.get("answers").get(0).get("items")).allSatisfy(item -> assertThat(item.has("attributes")).isTrue());
        assertThat(batch.get("answers").get(1).get("items")).allSatisfy(item -> assertThat(item.has("attributes")).isFalse());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void anUnknownUserGetsThePopularItemsMarkedAsSuch() {
        JsonNode answer = ok(shop.get("/recommend?user=%E2%9C%93-nobody&k=3"));
        assertThat(answer.get("source").asText()).isEqualTo("popularity");
        assertSameItems(answer.get("items"), direct.recommend(Query.user("✓-nobody").k(3).build()).items());
    }

    @Test
    void similarLeavesTheItemOut() {
        JsonNode answer = ok(shop.get("/similar?item=i4&k=5"));
        assertThat(answer.get("source").asText()).isEqualTo("similar_items");
        assertSameItems(answer.get("items"), direct.similar("i4", 5).items());
        assertThat(ids(answer.get("items"))).hasSize(5).doesNotContain("i4");
    }

    @Test
    void scoreByGetAndPostAreTheRecommendersScores() {
        Scores expected = direct.score("u7", List.of("i1", "i-new", "i3"));
        for (JsonNode answer : List.of(ok(shop.get("/score?user=u7&item=i1&item=i-new&item=i3")),
                ok(shop.post("/score", "{\"user\": \"u7\", \"items\": [\"i1\", \"i-new\", \"i3\"]}")))) {
            assertThat(answer.get("kind").asText()).isEqualTo(expected.kind().name().toLowerCase());
            assertThat(ids(answer.get("items"))).containsExactly("i1", "i-new", "i3");
            for (int i = 0; i < 3; i++) {
                assertThat((float) answer.get("items").get(i).get("score").asDouble())
                        .isEqualTo(expected.items().get(i).score());
            }
        }
    }

    @Test
    void batchAnswersEachQueryInOrder() {
        JsonNode answer = ok(shop.post("/batch", """
                {"queries": [{"user": "u13", "k": 3}, {"user": "nobody", "k": 2}, {"features": {"country": "c0"}}]}"""));
        List<Recommendations> expected = direct.recommendAll(List.of(Query.user("u13").k(3).build(),
                Query.user("nobody").k(2).build(), Query.features(Map.of("country", "c0")).build()));
        assertThat(answer.get("answers")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertSameItems(answer.get("answers").get(i).get("items"), expected.get(i).items());
        }
        assertThat(answer.get("answers").get(1).get("source").asText()).isEqualTo("popularity");
    }

    @Test
    void historyIsTheUsersRecentItems() {
        JsonNode answer = ok(shop.get("/history?user=u13"));
        assertThat(answer.get("known").asBoolean()).isTrue();
        assertThat(ids(answer.get("items"))).isEqualTo(direct.recentItems("u13")).isNotEmpty();
        assertThat(ok(shop.get("/history?user=nobody")).get("items")).isEmpty();
    }

    @Test
    void usersListsKnownIdsByPrefix() {
        JsonNode answer = ok(shop.get("/users?prefix=u1&limit=3"));
        assertThat(answer.get("users")).hasSize(3)
                .allSatisfy(u -> assertThat(u.asText()).startsWith("u1").isIn(direct.userIds()));
    }

    @Test
    void namedModelsAnswerUnderTheirNameAndTheDefaultAlsoWithout() {
        JsonNode named = ok(shop.get("/models/second/recommend?user=u13"));
        JsonNode plain = ok(shop.get("/recommend?user=u13"));
        assertThat(named.get("model").asText()).isEqualTo("second");
        assertThat(named.get("items")).isEqualTo(plain.get("items"));
        JsonNode models = ok(shop.get("/models"));
        assertThat(models.get("default").asText()).isEqualTo("default");
        assertThat(models.get("models")).extracting(m -> m.get("model").asText()).containsExactly("default", "second");
        assertThat(ok(shop.get("/models/second")).get("items").asInt()).isEqualTo(direct.info().items());
    }

    @Test
    void healthReadinessAndMetrics() {
        assertThat(ok(shop.get("/healthz")).get("status").asText()).isEqualTo("ok");
        JsonNode ready = ok(shop.get("/readyz"));
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(ready.get("models").get("second").asLong()).isEqualTo(1);
        ok(shop.get("/recommend?user=u1"));
        HttpResponse<String> metrics = shop.get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("embedrec_http_requests_seconds_bucket{")
                .containsPattern("embedrec_http_requests_seconds_count\\{method=\"GET\",route=\"/recommend\",status=\"200\"} [1-9]")
                .contains("embedrec_model_version{model=\"default\"} 1")
                .contains("embedrec_http_rejected_total");
    }

    @Test
    void theWebPageIsServedAtTheRoot() {
        HttpResponse<String> page = shop.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html").contains("embedrec");
    }

    @Test
    void everyRouteIsInTheOpenApiDescription() {
        JsonNode openApi = ok(shop.get("/openapi.json"));
        assertThat(openApi.get("openapi").asText()).startsWith("3.");
        List<String> missing = new ArrayList<>();
        for (RecommendServer.Route route : shop.server.routes()) {
            JsonNode path = openApi.get("paths").get(route.path());
            if (path == null || path.get(route.method()) == null) {
                missing.add(route.method() + " " + route.path());
            }
        }
        assertThat(missing).as("routes the OpenAPI description lacks").isEmpty();
        List<String> extra = new ArrayList<>();
        openApi.get("paths").fieldNames().forEachRemaining(p -> {
            if (shop.server.routes().stream().noneMatch(r -> r.path().equals(p))) {
                extra.add(p);
            }
        });
        assertThat(extra).as("paths described but not served").isEmpty();
    }

    @Test
    void theOpenApiBodiesHoldTheFieldsTheServerReads() {
        JsonNode schemas = ok(shop.get("/openapi.json")).get("components").get("schemas");
        List<String> query = new ArrayList<>();
        schemas.get("Query").get("properties").fieldNames().forEachRemaining(query::add);
        assertThat(query).containsExactlyInAnyOrderElementsOf(QueryReader.RECOMMEND_FIELDS);
        List<String> score = new ArrayList<>();
        schemas.get("ScoreRequest").get("properties").fieldNames().forEachRemaining(score::add);
        assertThat(score).containsExactlyInAnyOrderElementsOf(QueryReader.SCORE_FIELDS);
        List<String> sources = new ArrayList<>();
        schemas.get("Recommendations").get("properties").get("source").get("enum")
                .forEach(v -> sources.add(v.asText()));
        assertThat(sources).containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(
                Recommendations.Source.values()).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList());
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return shop.json(response);
    }

    static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    private static void assertSameItems(JsonNode items, List<RecommendedItem> expected) {
        assertThat(ids(items)).containsExactlyElementsOf(expected.stream().map(RecommendedItem::itemId).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat((float) items.get(i).get("score").asDouble()).isEqualTo(expected.get(i).score());
            assertThat(items.get(i).get("seen").asBoolean()).isEqualTo(expected.get(i).seen());
        }
    }
}
