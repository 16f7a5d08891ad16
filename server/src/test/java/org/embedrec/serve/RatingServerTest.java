package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embedrec.data.Interactions;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.experiment.FeatureExperiment;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingSpecs;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.Scores;
import org.embedrec.recommend.TrainingData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rating model (the mf preset) served: {@code /score} gives the recommender's ratings, clipped
 * to the training labels' range and saying so ({@code clipped_to}); the model description
 * names the range ({@code score_range}). The frozen shop model, saved before the range was kept,
 * says neither.
 */
class RatingServerTest {
    @TempDir
    static Path tmp;
    static ShopServer server;
    static ShopServer frozen;
    static Recommender direct;

    @BeforeAll
    static void trainSaveAndServe() throws IOException {
        Interactions all = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(40, 30, 12))
                .data().interactions();
        Split split = Split.random(all, 0.8, 5);
        FeatureSpec spec = RatingSpecs.of("mf", RatingModelConfig.defaults("mf").withEmbeddingDim(4).withEpochs(20)
                .withLearningRate(0.05f).withBatchSize(64).withL2(0f));
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, all, split, null, null);
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 1L));
        Path dir = tmp.resolve("mf");
        Recommender.build(fitted.model(), prepared.encoder(), new TrainingData(all, split.train(), null, null),
                Map.of()).save(dir);
        server = ShopServer.serve(dir, ServeOptions.defaults().withPort(0).withThreads(2));
        frozen = ShopServer.serve(ShopServer.copyModel(tmp.resolve("shop")),
                ServeOptions.defaults().withPort(0).withThreads(2));
        direct = Recommender.load(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
        frozen.close();
    }

    private static JsonNode ok(ShopServer s, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return s.json(response);
    }

    @Test
    void scoresAreTheRecommendersClippedRatingsAndSaySo() {
        String user = direct.userIds().get(3);
        List<String> items = direct.catalogue().itemIds();
        Scores expected = direct.score(user, items);
        assertThat(expected.clippedTo()).isNotNull();
        StringBuilder body = new StringBuilder("{\"user\": \"" + user + "\", \"items\": [");
        for (int i = 0; i < items.size(); i++) {
            body.append(i == 0 ? "" : ", ").append('"').append(items.get(i)).append('"');
        }
        JsonNode answer = ok(server, server.post("/score", body + "]}"));
        assertThat(answer.get("kind").asText()).isEqualTo("rating");
        assertThat(answer.get("clipped_to").get("min").asDouble()).isEqualTo(expected.clippedTo().min());
        assertThat(answer.get("clipped_to").get("max").asDouble()).isEqualTo(expected.clippedTo().max());
        for (int i = 0; i < items.size(); i++) {
            float score = (float) answer.get("items").get(i).get("score").asDouble();
            assertThat(score).isEqualTo(expected.items().get(i).score()).isBetween(1f, 5f);
        }
        JsonNode info = ok(server, server.get("/models/default"));
        assertThat(info.get("score_kind").asText()).isEqualTo("rating");
        assertThat(info.get("score_range").get("min").asDouble()).isEqualTo(1.0);
        assertThat(info.get("score_range").get("max").asDouble()).isEqualTo(5.0);
    }

    @Test
    void aModelSavedWithoutTheRangeServesUnclippedRatingsAndSaysNoRange() {
        JsonNode answer = ok(frozen, frozen.get("/score?user=u1&item=i0&item=i7"));
        assertThat(answer.get("kind").asText()).isEqualTo("rating");
        assertThat(answer.has("clipped_to")).isFalse();
        assertThat(ok(frozen, frozen.get("/models/default")).has("score_range")).isFalse();
    }
}
