package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spec file: every field read, written back equal, and every mistake named by its path. */
class FeatureSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String FULL = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating", "timestamp": "ts", "weight": "w",
                       "items": {"path": "items.csv", "id": "item_id"}, "users": {"path": "users.csv", "id": "uid"}},
              "features": [
                {"name": "user", "column": "user_id", "kind": "string", "tower": "query", "embedding_dim": 8,
                 "oov_buckets": 2, "max_tokens": 1000},
                {"name": "age", "kind": "integer", "tower": "query", "hash_bins": 64, "embedding_dim": 4},
                {"name": "ts", "kind": "timestamp", "tower": "query", "embedding_dim": 8,
                 "discretize": {"bins": 20, "method": "quantiles"}},
                {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 4},
                {"name": "item", "column": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "price", "kind": "numeric", "tower": "candidate",
                 "discretize": {"boundaries": [10, 20, 50]}, "embedding_dim": 4},
                {"name": "title", "kind": "text", "tower": "candidate", "max_length": 12, "embedding_dim": 8},
                {"name": "tags", "kind": "list", "separator": ";", "pooling": "sum", "tower": "candidate",
                 "embedding_dim": 8}
              ],
              "crosses": [{"features": ["user", "device"], "buckets": 500, "embedding_dim": 4}],
              "towers": {"query": {"layers": [32, 16]}, "candidate": {"layers": [16]}},
              "tasks": {"retrieval": {"weight": 1.0, "temperature": 0.5, "log_q": true,
                                      "remove_accidental_hits": true},
                        "rating": {"weight": 0.5, "loss": "mse",
                                   "head": {"cross_layers": 2, "projection_dim": 8, "layers": [64, 32],
                                            "dropout": 0.25}}},
              "training": {"optimizer": "adam", "lr": 0.01, "batch_size": 512, "epochs": 3, "validation_freq": 1,
                           "l2": 0.05}
            }
            """;

    static FeatureSpec parse(String json) throws Exception {
        return FeatureSpec.fromJson(JSON.readTree(json), "test spec");
    }

    @Test
    void aSpecWrittenToJsonReadsBackEqualToItself() throws Exception {
        FeatureSpec spec = parse(FULL);
        FeatureSpec again = FeatureSpec.fromJson(JSON.readTree(spec.toJsonString()), "round trip");
        assertThat(again).isEqualTo(spec);
        assertThat(again.toJsonString()).isEqualTo(spec.toJsonString());
    }

    @Test
    void everyFieldIsRead() throws Exception {
        FeatureSpec spec = parse(FULL);
        assertThat(spec.data().weight()).isEqualTo("w");
        assertThat(spec.data().users().id()).isEqualTo("uid");
        assertThat(spec.features(FeatureDefinition.QUERY)).extracting(FeatureDefinition::name)
                .containsExactly("user", "age", "ts", "device");
        FeatureDefinition user = spec.feature("user");
        assertThat(user.oovBuckets()).isEqualTo(2);
        assertThat(user.maxTokens()).isEqualTo(1000);
        assertThat(spec.feature("age").hashBins()).isEqualTo(64);
        assertThat(spec.feature("ts").discretize().bins()).isEqualTo(20);
        assertThat(spec.feature("price").discretize().boundaries()).containsExactly(10.0, 20.0, 50.0);
        assertThat(spec.feature("tags").separator()).isEqualTo(";");
        assertThat(spec.feature("tags").pooling()).isEqualTo("sum");
        assertThat(spec.crosses().get(0).name()).isEqualTo("user_x_device");
        assertThat(spec.crosses(FeatureDefinition.QUERY)).hasSize(1);
        assertThat(spec.queryTower().layers()).containsExactly(32, 16);
        assertThat(spec.retrieval()).isEqualTo(new FeatureSpec.RetrievalTask(1.0, 0.5, true, true));
        assertThat(spec.rating()).isEqualTo(new FeatureSpec.RatingTask(0.5, "mse"));
        assertThat(spec.ratingHead()).isEqualTo(new FeatureSpec.RatingHead(2, 8, java.util.List.of(64, 32), 0.25));
        assertThat(spec.training()).isEqualTo(new FeatureSpec.Training("adam", 0.01, 512, 3, 1, 0.05));
    }

    @Test
    void defaultsFillWhatASmallSpecLeavesOut() throws Exception {
        FeatureSpec spec = parse("""
                {"data": {"user": "u", "item": "i"},
                 "features": [{"name": "u", "kind": "string", "tower": "query"},
                              {"name": "i", "kind": "string", "tower": "candidate"}],
                 "tasks": {"retrieval": {}}}
                """);
        assertThat(spec.feature("u").embeddingDim()).isEqualTo(32);
        assertThat(spec.feature("u").oovBuckets()).isEqualTo(1);
        assertThat(spec.training()).isEqualTo(new FeatureSpec.Training("adagrad", 0.1, 1024, 10, 1));
        assertThat(spec.retrieval()).isEqualTo(new FeatureSpec.RetrievalTask(1.0, 1.0, false, false));
    }

    @Test
    void aBrokenSpecListsEveryMistakeWithItsField() throws Exception {
        String broken = """
                {"data": {"user": "u", "label": 5},
                 "features": [{"name": "u", "kind": "strng", "tower": "query", "embedding_dim": 0},
                              {"name": "i", "kind": "string", "tower": "candidat"},
                              {"name": "p", "kind": "numeric", "tower": "candidate", "discretize": {"bins": 1}}],
                 "towers": {"query": {"layers": [16]}, "candidate": {"layers": [8]}},
                 "tasks": {"retrieval": {"temperature": -1}, "ranking": {}},
                 "training": {"epochs": "ten", "optimizer": "adamm"},
                 "colour": "blue"}
                """;
        assertThatThrownBy(() -> parse(broken))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "colour: unknown field; expected one of data, features, crosses, towers, tasks, training",
                        "data.item: expected the name of the item id column",
                        "data.label: expected a string, got 5",
                        "features[0] ('u').kind: expected one of string, integer, numeric, timestamp, text, list; "
                                + "got 'strng'",
                        "features[1] ('i').tower: expected \"query\" or \"candidate\"; got 'candidat'",
                        "features[2] ('p').discretize.bins: expected an integer >= 2, got 1",
                        "tasks.ranking: unknown field; expected one of retrieval, rating",
                        "tasks.retrieval.temperature: expected a number > 0, got -1",
                        "training.optimizer: expected one of sgd, adam, adamw, adagrad, rmsprop, ftrl; got 'adamm'",
                        "training.epochs: expected an integer >= 1, got \"ten\"",
                        "features: the query tower has no feature"))
                .hasMessageStartingWith("test spec: ");
    }

    @Test
    void notJsonIsOneProblemWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, "{\n  \"data\": {\n  \"user\": }\n}");
        assertThatThrownBy(() -> FeatureSpec.read(file))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not readable JSON")
                .hasMessageContaining("line 3");
    }

    @Test
    void aFileOverTheSpecLimitIsRefusedWithItsSizeAndTheLimit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ratings.csv");
        try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(FileSizeLimitBytes.SPEC + 1);
        }
        assertThatThrownBy(() -> FeatureSpec.read(file))
                .isInstanceOf(SpecException.class)
                .hasMessage("spec " + file + ": " + (FileSizeLimitBytes.SPEC + 1)
                        + " bytes, larger than the limit of 16 MiB for this kind of file; expected a JSON feature spec");
    }

    /** The limit, spelt out, so that a change to it is a change to this test too. */
    private static final class FileSizeLimitBytes {
        static final long SPEC = 16L << 20;
    }

    @Test
    void aMissingFileNamesThePresets(@TempDir Path dir) {
        assertThatThrownBy(() -> FeatureSpec.read(dir.resolve("nope.json")))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("nope.json: no such file")
                .hasMessageContaining("two-tower-deep");
    }

    @Test
    void droppingAFeatureAlsoDropsTheCrossesThatReadIt() throws Exception {
        FeatureSpec spec = parse(FULL).withoutFeature("device");
        assertThat(spec.feature("device")).isNull();
        assertThat(spec.crosses()).isEmpty();
        JsonNode json = spec.toJson();
        assertThat(FeatureSpec.fromJson(json, "again")).isEqualTo(spec);
    }
}
