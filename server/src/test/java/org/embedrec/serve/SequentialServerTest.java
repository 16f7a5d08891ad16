package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A next-item model ({@link WalksSasRec}) served: POST recommend takes a {@code history}, answers as the {@link Recommender} does,
 * and a bad history is a 400 naming the field.
 */
class SequentialServerTest {
    @TempDir
    static Path tmp;
    static ShopServer server;
    static Recommender direct;

    @BeforeAll
    static void trainSaveAndServe() throws IOException {
        Path dir = WalksSasRec.trainAndSave(tmp.resolve("sasrec"));
        server = ShopServer.serve(dir, ServeOptions.defaults().withPort(0).withThreads(2));
        direct = Recommender.load(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return server.json(response);
    }

    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(item -> out.add(item.get("id").asText()));
        return out;
    }

    @Test
    void aHistoryIsAnsweredAsTheRecommenderAnswersItWithUnknownIdsListed() {
        JsonNode answer = ok(server.post("/recommend",
                "{\"history\": [\"i3\", \"zzz\", \"i4\"], \"k\": 5, \"exclude_seen\": true}"));
        Recommendations expected = direct.recommend(Query.builder().history(List.of("i3", "zzz", "i4")).k(5)
                .excludeSeen(true).build());
        assertThat(answer.get("source").asText()).isEqualTo("history");
        assertThat(answer.get("unknown_history")).hasSize(1);
        assertThat(answer.get("unknown_history").get(0).asText()).isEqualTo("zzz");
        assertThat(ids(answer.get("items"))).hasSize(5).doesNotContain("i3", "i4")
                .isEqualTo(expected.items().stream().map(i -> i.itemId()).toList());
    }

    @Test
    void aGetWithHistoryParametersIsThePostAnswer() {
        // One parameter per id, so ids holding commas or spaces pass unchanged (percent-encoded).
        JsonNode get = ok(server.get("/recommend?history=i3&history=zzz&history=i4&k=5&exclude_seen=true"));
        JsonNode post = ok(server.post("/recommend",
                "{\"history\": [\"i3\", \"zzz\", \"i4\"], \"k\": 5, \"exclude_seen\": true}"));
        assertThat(get).isEqualTo(post);
        assertThat(get.get("unknown_history").get(0).asText()).isEqualTo("zzz");
        JsonNode weird = ok(server.get("/recommend?history=a%2Cb%20c&k=2"));
        assertThat(weird.get("unknown_history").get(0).asText()).isEqualTo("a,b c");
        HttpResponse<String> oneOfTwo = server.get("/recommend?history=i3&hist=i4");
        assertThat(oneOfTwo.statusCode()).as(oneOfTwo.body()).isEqualTo(400);
        assertThat(server.json(oneOfTwo).get("error").get("field").asText()).isEqualTo("hist");
    }

    @Test
    void aKnownUserWithAHistoryAndTheFallbackAreMarked() {
        JsonNode known = ok(server.post("/recommend", "{\"user\": \"u2\", \"history\": [\"i0\"], \"k\": 3}"));
        assertThat(known.get("source").asText()).isEqualTo("user");
        assertThat(known.has("unknown_history")).isFalse();
        assertThat(ids(known.get("items"))).isEqualTo(direct.recommend(Query.user("u2").history(List.of("i0")).k(3)
                .build()).items().stream().map(i -> i.itemId()).toList());
        JsonNode fallback = ok(server.post("/recommend", "{\"history\": [\"gone\"], \"k\": 3}"));
        assertThat(fallback.get("source").asText()).isEqualTo("popularity");
        assertThat(fallback.get("unknown_history").get(0).asText()).isEqualTo("gone");
    }

    @Test
    void aBadHistoryIsA400NamingTheField() {
        String tooLong = "{\"history\": [" + "\"i1\",".repeat(Query.MAX_HISTORY) + "\"i2\"]}";
        String[][] cases = {
                {"{\"history\": \"i1,i2\"}", "history", "array"},
                {"{\"history\": [\"i1\", 7]}", "history[1]", "id string"},
                {"{\"history\": [\"i1\", null]}", "history[1]", "id string"},
                {tooLong, "history", "at most " + Query.MAX_HISTORY},
                {"{\"queries\": [{\"history\": {}}]}", "queries[0].history", "array"}};
        for (String[] c : cases) {
            HttpResponse<String> response = server.post(c[0].startsWith("{\"queries\"") ? "/batch" : "/recommend", c[0]);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            JsonNode error = server.json(response).get("error");
            assertThat(error.get("field").asText()).isEqualTo(c[1]);
            assertThat(error.get("message").asText()).contains(c[2]).doesNotContain("Exception");
        }
    }
}
