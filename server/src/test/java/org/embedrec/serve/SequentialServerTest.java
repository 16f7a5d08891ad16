package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.engine.Rng;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.SasRec;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A next-item model (sasrec, trained here on planted walks: user uN steps +1 or +3 through 20
 * items) served: POST recommend takes a {@code history}, answers as the {@link Recommender} does,
 * and a bad history is a 400 naming the field.
 */
class SequentialServerTest {
    @TempDir
    static Path tmp;
    static ShopServer server;
    static Recommender direct;

    @BeforeAll
    static void trainSaveAndServe() throws IOException {
        Rng rng = new Rng(3);
        Interactions.Builder b = Interactions.builder().hasTimestamps(true);
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add("i" + i);
        }
        for (int u = 0; u < 80; u++) {
            users.add("u" + u);
            int item = rng.nextInt(20);
            for (int t = 0; t < 6; t++) {
                b.add(u, item, 1, t);
                item = (item + (u % 2 == 0 ? 1 : 3)) % 20;
            }
        }
        RatingsData data = RatingsData.of("walks", b.build(IdMapping.of(users), IdMapping.of(items)));
        NextItemSplit split = NextItemSplit.leaveLastOut(data.interactions());
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 8, 1, 1, 6, 0.0, 0.01, 16, 3,
                NextItemLoss.SOFTMAX, 10, 1);
        SequenceEncoder model = SequentialModels.fit(config, split, 100).model();
        model.setTraining(false);
        Path dir = tmp.resolve("sasrec");
        SequentialModelFiles.save(dir, SasRec.NAME, config, model, data,
                NextItemEvaluation.evaluate(model, split.test(), 1), 1);
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
