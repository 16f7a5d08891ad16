package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.retrieval.RetrievalData;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerModel;
import org.embedrec.models.retrieval.TwoTowerTraining;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A two-tower directory in the format {@code train --model two-tower --save} wrote until the
 * preset was trained through its spec ({@value #RESOURCE}: the hand-written {@link TwoTowerModel}
 * on 40 users and 30 items of the built-in synthetic generator, never MovieLens, about 50 KB) must
 * keep loading and answering as it did: the same sources, items, scores (to 1e-4) and similar
 * items as {@value #EXPECTED} recorded. Users have such directories; the server and
 * {@code recommend} read them through {@link Recommender#load}. A change that breaks this test
 * breaks them.
 *
 * <p>Regenerate both only on a deliberate format bump (keep the old directory too and add the
 * new one), from the {@code recsys} directory:
 * <pre>
 * ../mvnw -B -o -q -pl recsys -am test -Dtest=FrozenTwoTowerArtifactTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dembedrec.regenerate=frozen-two-tower-artifact
 * </pre>
 */
class FrozenTwoTowerArtifactTest {
    static final String RESOURCE = "src/test/resources/org/embedrec/recommend/frozen-two-tower-model";
    static final String EXPECTED = "src/test/resources/org/embedrec/recommend/frozen-two-tower-answers.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SIMILAR_TO = "3";

    /** The questions asked of the frozen model, answered in {@value #EXPECTED} in this order. */
    static List<Query> queries() {
        return List.of(
                Query.user("1").build(),
                Query.user("2").k(5).excludeSeen(true).build(),
                Query.user("3").at(880_000_000L).k(4).build(),
                Query.user("someone-new").k(4).build());
    }

    @Test
    void theFrozenModelLoadsAndAnswersAsItDidWhenSaved() throws IOException {
        Recommender r = Recommender.load(Path.of(RESOURCE));
        JsonNode expected = JSON.readTree(Path.of(EXPECTED).toFile());
        assertThat(r.info().kind()).isEqualTo(expected.path("kind").asText());
        assertThat(r.userIds()).hasSize(expected.path("users").asInt());
        List<Query> queries = queries();
        for (int q = 0; q < queries.size(); q++) {
            assertAnswer(r.recommend(queries.get(q)), expected.path("recommend").get(q), queries.get(q).toString());
        }
        assertAnswer(r.similar(SIMILAR_TO, 4), expected.path("similar"), "similar to " + SIMILAR_TO);
    }

    private static void assertAnswer(Recommendations got, JsonNode e, String what) {
        assertThat(got.source().name()).as(what).isEqualTo(e.path("source").asText());
        JsonNode items = e.path("items");
        assertThat(got.items()).as(what).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            RecommendedItem item = got.items().get(i);
            assertThat(item.itemId()).as(what + " item " + i).isEqualTo(items.get(i).get(0).asText());
            assertThat(item.score()).as(what + " score " + i).isCloseTo((float) items.get(i).get(1).asDouble(),
                    within(1e-4f));
            assertThat(item.seen()).as(what + " seen " + i).isEqualTo(items.get(i).get(2).asBoolean());
        }
    }

    /** Writes the frozen directory and its answers anew; see the class comment for when. */
    @Test
    @EnabledIfSystemProperty(named = "embedrec.regenerate", matches = "frozen-two-tower-artifact")
    void regenerate() throws IOException {
        RatingsData data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(40, 30, 12))
                .data();
        Split split = Split.random(data.interactions(), 0.8, 7);
        RetrievalData prepared = RetrievalData.prepare(data, split);
        TwoTowerConfig config = TwoTowerConfig.defaults().withEmbeddingDim(8).withLayers(List.of(8)).withBatchSize(64)
                .withEpochs(3).withSeed(7);
        TwoTowerModel model = new TwoTowerModel(prepared.queryFeatures(), prepared.candidateFeatures(), config,
                new Rng(7));
        TwoTowerTraining.fit(model, prepared.train(), null);
        Path dir = Path.of(RESOURCE);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        TwoTowerModelFiles.save(dir, TwoTowerRecommender.build(model, prepared.catalogue(),
                UserHistory.of(split.train())), data.name(), "random:0.8");
        Files.writeString(dir.resolve(".gitattributes"), "* -text\n");
        Recommender saved = Recommender.load(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", saved.info().kind());
        root.put("users", saved.userIds().size());
        ArrayNode answers = root.putArray("recommend");
        for (Query q : queries()) {
            answers.add(answer(saved.recommend(q)));
        }
        root.set("similar", answer(saved.similar(SIMILAR_TO, 4)));
        JSON.writeValue(Path.of(EXPECTED).toFile(), root);
    }

    private static ObjectNode answer(Recommendations r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("source", r.source().name());
        ArrayNode items = o.putArray("items");
        for (RecommendedItem i : r.items()) {
            items.addArray().add(i.itemId()).add(i.score()).add(i.seen());
        }
        return o;
    }
}
