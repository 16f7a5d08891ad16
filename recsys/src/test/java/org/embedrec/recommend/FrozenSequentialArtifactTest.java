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
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.SasRec;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A next-item model directory saved by an earlier embedrec ({@value #RESOURCE}: a small sasrec
 * trained on the generated walks of {@link SequentialRecommenderTest}, never on MovieLens, about
 * 10 KB) must keep loading and answering as it did: the same sources, items, scores (to 1e-4)
 * and skipped history ids as {@value #EXPECTED} recorded. A change that breaks this test breaks
 * every next-item model a user has saved.
 *
 * <p>Regenerate both only on a deliberate format bump (keep the old directory too and add the
 * new one), from the {@code recsys} directory:
 * <pre>
 * ../mvnw -B -o -q -pl recsys -am test -Dtest=FrozenSequentialArtifactTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dembedrec.regenerate=frozen-sequential-artifact
 * </pre>
 */
class FrozenSequentialArtifactTest {
    static final String RESOURCE = "src/test/resources/org/embedrec/recommend/frozen-sasrec-model";
    static final String EXPECTED = "src/test/resources/org/embedrec/recommend/frozen-sasrec-answers.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The questions asked of the frozen model, answered in {@value #EXPECTED} in this order. */
    static List<Query> queries() {
        return List.of(
                Query.user("u1").build(),
                Query.user("u2").k(5).excludeSeen(true).build(),
                Query.user("u3").history(List.of("i0", "i1")).k(4).build(),
                Query.builder().history(List.of("i7", "not-an-item", "i8", "i9")).k(6).excludeSeen(true).build(),
                Query.builder().history(List.of("nothing-known")).k(3).build(),
                Query.user("someone-new").k(4).build());
    }

    @Test
    void theFrozenModelLoadsAndAnswersAsItDidWhenSaved() throws IOException {
        Recommender r = Recommender.load(Path.of(RESOURCE));
        JsonNode expected = JSON.readTree(Path.of(EXPECTED).toFile());
        assertThat(r.info().kind()).isEqualTo("next-item");
        assertThat(r.info().provenance().path("data_fingerprint").asText())
                .isEqualTo(expected.path("data_fingerprint").asText());
        assertThat(r.recentItems("u1")).containsExactlyElementsOf(strings(expected.path("recent_u1")));
        List<Query> queries = queries();
        for (int q = 0; q < queries.size(); q++) {
            JsonNode e = expected.path("recommend").get(q);
            Recommendations got = r.recommend(queries.get(q));
            String what = queries.get(q).toString();
            assertThat(got.source().name()).as(what).isEqualTo(e.path("source").asText());
            assertThat(got.unknownHistory()).as(what).containsExactlyElementsOf(strings(e.path("unknown_history")));
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
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Writes the frozen directory and its answers anew; see the class comment for when. */
    @Test
    @EnabledIfSystemProperty(named = "embedrec.regenerate", matches = "frozen-sequential-artifact")
    void regenerate() throws IOException {
        RatingsData data = RatingsData.of("walks", SequentialRecommenderTest.walks(60, 17));
        NextItemSplit split = NextItemSplit.leaveLastOut(data.interactions());
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 8, 1, 2, 6, 0.0, 0.01, 16, 4,
                NextItemLoss.SOFTMAX, 10, 7);
        SequenceEncoder model = SequentialModels.fit(config, split, 100).model();
        model.setTraining(false);
        Path dir = Path.of(RESOURCE);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        SequentialModelFiles.save(dir, SasRec.NAME, config, model, data,
                NextItemEvaluation.evaluate(model, split.test(), 7), 7);
        Files.writeString(dir.resolve(".gitattributes"), "* -text\n");
        Recommender saved = Recommender.load(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("data_fingerprint", saved.info().provenance().path("data_fingerprint").asText());
        ArrayNode recent = root.putArray("recent_u1");
        saved.recentItems("u1").forEach(recent::add);
        ArrayNode answers = root.putArray("recommend");
        for (Query q : queries()) {
            Recommendations r = saved.recommend(q);
            ObjectNode o = answers.addObject();
            o.put("source", r.source().name());
            ArrayNode unknown = o.putArray("unknown_history");
            r.unknownHistory().forEach(unknown::add);
            ArrayNode items = o.putArray("items");
            for (RecommendedItem i : r.items()) {
                items.addArray().add(i.itemId()).add(i.score()).add(i.seen());
            }
        }
        JSON.writeValue(Path.of(EXPECTED).toFile(), root);
    }
}
