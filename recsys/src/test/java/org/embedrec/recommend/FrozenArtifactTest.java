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
import java.util.Map;
import org.embedrec.data.synthetic.SyntheticShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model directory saved by an earlier embedrec, kept in the test resources
 * ({@value #RESOURCE}: a spec model trained on a tiny generated shop, about 20 KB), must keep
 * loading and answering as it did: the same items, in the same order, with the same scores (to
 * 1e-4, so that a machine whose SIMD width sums in another order still agrees) as
 * {@value #EXPECTED} recorded when it was saved. A change that breaks this test breaks every
 * model a user has saved.
 *
 * <p>Regenerate both only on a deliberate format bump (a new {@code format_version} that this
 * embedrec still reads the old one of, keep the old directory too and add the new one), from the
 * {@code recsys} directory:
 * <pre>
 * ../mvnw -B -o -q -pl recsys -am test -Dtest=FrozenArtifactTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dembedrec.regenerate=frozen-artifact
 * </pre>
 * The directory has a {@code .gitattributes} of {@code * -text}: its manifest lists the files'
 * checksums, which a checkout converting line ends would break.
 */
class FrozenArtifactTest {
    static final String RESOURCE = "src/test/resources/org/embedrec/recommend/frozen-shop-model";
    static final String EXPECTED = "src/test/resources/org/embedrec/recommend/frozen-shop-answers.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A tiny shop: 40 users, 30 items in 3 categories, 3 countries, 800 purchases. */
    static final SyntheticShop.Config SHOP = new SyntheticShop.Config(40, 30, 3, 3, 800, 0.9, 11);

    static final String SPEC = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "timestamp",
                       "items": {"path": "items.csv", "id": "item_id"},
                       "users": {"path": "users.csv", "id": "user_id"}},
              "features": [
                {"name": "user", "column": "user_id", "kind": "string", "tower": "query", "embedding_dim": 4},
                {"name": "country", "kind": "string", "tower": "query", "embedding_dim": 4},
                {"name": "age_band", "kind": "integer", "tower": "query", "embedding_dim": 2},
                {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 4},
                {"name": "time", "column": "timestamp", "kind": "timestamp", "tower": "query", "embedding_dim": 2,
                 "discretize": {"bins": 4, "method": "equal_width"}},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 4},
                {"name": "category", "kind": "string", "tower": "candidate", "embedding_dim": 4},
                {"name": "price", "kind": "numeric", "tower": "candidate"},
                {"name": "tags", "kind": "list", "separator": "|", "tower": "candidate", "embedding_dim": 2}
              ],
              "crosses": [{"features": ["country", "device"], "buckets": 8, "embedding_dim": 4}],
              "towers": {"query": {"layers": [8]}, "candidate": {"layers": [8]}},
              "tasks": {"retrieval": {"log_q": true}, "rating": {"weight": 0.5, "head": {"layers": [4]}}},
              "training": {"optimizer": "adagrad", "lr": 0.1, "batch_size": 64, "epochs": 5}
            }
            """;

    /** The questions asked of the frozen model, answered in {@value #EXPECTED} in this order. */
    static List<Query> queries() {
        return List.of(
                Query.user("u1").build(),
                Query.user("u2").k(5).excludeSeen(true).build(),
                Query.user("u3").feature("device", "tv").at(1_700_020_000L).build(),
                Query.features(Map.of("country", "country2", "device", "phone", "age_band", "38")).k(6).build(),
                Query.user("someone-new").k(4).build(),
                Query.user("u4").k(3).filter(ItemFilter.where("category", "cat1")).exclude(List.of("i1")).build());
    }

    @Test
    void theFrozenModelLoadsAndAnswersAsItDidWhenSaved() throws IOException {
        Recommender r = Recommender.load(Path.of(RESOURCE));
        JsonNode expected = JSON.readTree(Path.of(EXPECTED).toFile());
        assertThat(r.info().version()).isEqualTo(expected.path("version").asLong());
        assertThat(r.info().provenance().path("data_fingerprint").asText())
                .isEqualTo(expected.path("data_fingerprint").asText());
        List<Query> queries = queries();
        for (int q = 0; q < queries.size(); q++) {
            assertSame(r.recommend(queries.get(q)), expected.path("recommend").get(q), queries.get(q).toString());
        }
        assertSame(r.similar("i5", 4), expected.path("similar_i5"), "similar i5");
        JsonNode scores = expected.path("scores_u1");
        // Saved before a rating model kept its training labels' range: its ratings stay unclipped, and say so.
        Scores answer = r.score("u1", List.of("i0", "i7", "i20"));
        assertThat(answer.kind()).isEqualTo(Scores.Kind.RATING);
        assertThat(answer.clippedTo()).isNull();
        assertThat(r.info().scoreRange()).isNull();
        List<Scores.ItemScore> got = answer.items();
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).itemId()).isEqualTo(scores.get(i).get(0).asText());
            assertThat(got.get(i).score()).isCloseTo((float) scores.get(i).get(1).asDouble(), within(1e-4f));
        }
    }

    private static void assertSame(Recommendations got, JsonNode expected, String what) {
        assertThat(got.source().name()).as(what).isEqualTo(expected.path("source").asText());
        JsonNode items = expected.path("items");
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
    @EnabledIfSystemProperty(named = "embedrec.regenerate", matches = "frozen-artifact")
    void regenerate(@TempDir Path tmp) throws IOException {
        Recommender r = ShopRecommender.train(tmp, SPEC, SHOP, 5).recommender();
        Path dir = Path.of(RESOURCE);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        r.save(dir);
        Files.writeString(dir.resolve(".gitattributes"), "* -text\n");
        Recommender saved = Recommender.load(dir);
        ObjectNode root = JSON.createObjectNode();
        root.put("version", saved.info().version());
        root.put("data_fingerprint", saved.info().provenance().path("data_fingerprint").asText());
        ArrayNode answers = root.putArray("recommend");
        for (Query q : queries()) {
            answers.add(answer(saved.recommend(q)));
        }
        root.set("similar_i5", answer(saved.similar("i5", 4)));
        ArrayNode scores = root.putArray("scores_u1");
        for (Scores.ItemScore s : saved.score("u1", List.of("i0", "i7", "i20")).items()) {
            scores.addArray().add(s.itemId()).add(s.score());
        }
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
