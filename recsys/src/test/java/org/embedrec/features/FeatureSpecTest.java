package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void sampledNegativesAreReadWrittenOnlyWhenDrawnAndRefusedBesideBprOrANegativesColumn() throws Exception {
        String small = """
                {"data": {"user": "u", "item": "i"},
                 "features": [{"name": "u", "kind": "string", "tower": "query"},
                              {"name": "i", "kind": "string", "tower": "candidate"}],
                 "tasks": {"retrieval": RETRIEVAL}}
                """;
        FeatureSpec spec = parse(small.replace("RETRIEVAL", "{\"sampled_negatives\": 12, \"log_q\": true}"));
        assertThat(spec.retrieval().sampledNegatives()).isEqualTo(12);
        assertThat(spec.toJson().path("tasks").path("retrieval").path("sampled_negatives").asInt()).isEqualTo(12);
        assertThat(FeatureSpec.fromJson(spec.toJson(), "round trip")).isEqualTo(spec);
        assertThat(parse(small.replace("RETRIEVAL", "{}")).toJson().path("tasks").path("retrieval")
                .has("sampled_negatives")).isFalse();
        assertThatThrownBy(() -> parse(small.replace("RETRIEVAL", "{\"sampled_negatives\": 3, \"loss\": \"bpr\"}")))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "tasks.retrieval.sampled_negatives: shared uniform negatives extend the in-batch softmax; "
                                + "they do not combine with \"loss\": \"bpr\""));
        assertThatThrownBy(() -> parse(small.replace("RETRIEVAL", "{\"sampled_negatives\": -1}")))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("tasks.retrieval.sampled_negatives"));
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
    void linspaceBucketingAndAdaptingOnTheCatalogueAreReadWrittenBackAndChecked() throws Exception {
        FeatureSpec spec = parse("""
                {"data": {"user": "u", "item": "i", "timestamp": "t"},
                 "features": [{"name": "u", "kind": "string", "tower": "query"},
                              {"name": "t", "kind": "timestamp", "tower": "query",
                               "discretize": {"bins": 11, "method": "linspace"}},
                              {"name": "i", "kind": "string", "tower": "candidate", "adapt_on": "catalogue"},
                              {"name": "title", "kind": "text", "tower": "candidate"}],
                 "towers": {"query": {"layers": [8]}, "candidate": {"layers": [8]}},
                 "tasks": {"retrieval": {}}}
                """);
        assertThat(spec.feature("t").discretize()).isEqualTo(new FeatureDefinition.Discretize(11, "linspace", null));
        assertThat(spec.feature("i").adaptsOnCatalogue()).isTrue();
        assertThat(spec.feature("title").adaptsOnCatalogue()).isFalse();
        assertThat(spec.feature("u").adaptOn()).isEqualTo("training");
        FeatureSpec again = FeatureSpec.fromJson(JSON.readTree(spec.toJsonString()), "round trip");
        assertThat(again).isEqualTo(spec);
        assertThat(spec.toJsonString()).contains("\"adapt_on\" : \"catalogue\"").contains("\"method\" : \"linspace\"");

        assertThatThrownBy(() -> parse("""
                {"data": {"user": "u", "item": "i"},
                 "features": [{"name": "u", "kind": "string", "tower": "query", "adapt_on": "catalogue"},
                              {"name": "t", "kind": "numeric", "tower": "query", "discretize": {"method": "linspac"}},
                              {"name": "i", "kind": "string", "tower": "candidate", "adapt_on": "everything"}],
                 "towers": {"query": {"layers": [8]}, "candidate": {"layers": [8]}},
                 "tasks": {"retrieval": {}}}
                """)).isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
                "features[0] ('u').adapt_on: only a candidate feature can adapt on the catalogue; a query feature "
                        + "adapts on the training rows",
                "features[1] ('t').discretize.method: expected \"quantiles\", \"equal_width\" or \"linspace\"; "
                        + "got 'linspac'",
                "features[2] ('i').adapt_on: expected \"training\" or \"catalogue\"; got 'everything'"));
    }

    static final String WIDE = """
            {
              "data": {"user": "user_id", "item": "item_id", "label": "rating"},
              "features": [
                {"name": "user_id", "kind": "string", "tower": "query", "embedding_dim": 8, "init_stddev": 0.1},
                {"name": "age", "kind": "numeric", "tower": "query", "normalize": false,
                 "discretize": {"boundaries": [18, 30]}, "embedding_dim": 8},
                {"name": "item_id", "kind": "string", "tower": "candidate", "embedding_dim": 8},
                {"name": "genres", "kind": "list", "tower": "candidate", "embedding_dim": 8, "max_length": 4}
              ],
              "tasks": {"rating": {"head": {"kind": "dot", "layers": [8, 4], "input_dropout": 0.5},
                                   "wide": {"features": ["user_id", "item_id", "age"],
                                            "crosses": [{"features": ["user_id", "genres"], "buckets": 100}],
                                            "optimizer": "ftrl", "lr": 0.05, "pretrain_epochs": 2}}},
              "training": {"optimizer": "adam", "lr": 0.002, "l2": 1.3, "l2_weighting": "sqrt_frequency"}
            }
            """;

    @Test
    void theDotHeadTheWidePartAndWeightedL2AreReadAndWrittenBack() throws Exception {
        FeatureSpec spec = parse(WIDE);
        assertThat(spec.feature("user_id").initStddev()).isEqualTo(0.1);
        assertThat(spec.feature("item_id").initStddev()).isZero();
        assertThat(spec.ratingHead()).isEqualTo(new FeatureSpec.RatingHead("dot", 0, 0, List.of(8, 4), 0.5, 0.0));
        assertThat(spec.wide()).isEqualTo(new FeatureSpec.Wide(List.of("user_id", "item_id", "age"),
                List.of(new FeatureSpec.WideCross("user_id_x_genres", List.of("user_id", "genres"), 100)), "ftrl",
                0.05, 2));
        assertThat(spec.training().l2Weighting()).isEqualTo(FeatureSpec.Training.SQRT_FREQUENCY);
        FeatureSpec again = FeatureSpec.fromJson(JSON.readTree(spec.toJsonString()), "round trip");
        assertThat(again).isEqualTo(spec);
        assertThat(again.withoutFeature("genres").wide().crosses()).isEmpty();
        assertThat(again.withoutFeature("age").wide().features()).containsExactly("user_id", "item_id");
    }

    @Test
    void aDotHeadWithoutLayersIsMatrixFactorisationAndTheConcatHeadKeepsItsDefaults() throws Exception {
        FeatureSpec dot = parse(WIDE.replace("\"layers\": [8, 4], ", ""));
        assertThat(dot.ratingHead().layers()).isEmpty();
        // A concat head's fields at 0 say "none", which a dot head has anyway.
        assertThat(parse(WIDE.replace("\"input_dropout\": 0.5", "\"input_dropout\": 0.5, \"dropout\": 0, "
                + "\"cross_layers\": 0")).ratingHead()).isEqualTo(parse(WIDE).ratingHead());
        FeatureSpec concat = parse(WIDE.replace("\"kind\": \"dot\", \"layers\": [8, 4], ", ""));
        assertThat(concat.ratingHead()).isEqualTo(new FeatureSpec.RatingHead("concat", 0, 0, List.of(256, 64), 0.5,
                0.0));
        assertThat(concat.wide().ownOptimizer()).isTrue();
        assertThat(parse(WIDE.replace("\"optimizer\": \"ftrl\", \"lr\": 0.05, ", "")).wide().ownOptimizer())
                .isFalse();
    }

    @Test
    void mistakesInTheRatingHeadAndTheWidePartAreNamedByField() throws Exception {
        String broken = WIDE.replace("\"init_stddev\": 0.1", "\"init_stddev\": -1")
                .replace("\"layers\": [8, 4], \"input_dropout\": 0.5",
                        "\"layers\": [8, 1], \"input_dropout\": 1.5, \"cross_layers\": 2")
                .replace("\"features\": [\"user_id\", \"item_id\", \"age\"]",
                        "\"features\": [\"user_id\", \"user_id\", \"title\"]")
                .replace("[\"user_id\", \"genres\"]", "[\"genres\", \"genres\"]")
                .replace("\"ftrl\"", "\"ftrll\"")
                .replace("\"sqrt_frequency\"", "\"sqrt\"");
        assertThatThrownBy(() -> parse(broken))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "features[0] ('user_id').init_stddev: expected a number > 0, got -1",
                        "tasks.rating.head.cross_layers: a \"dot\" head has no cross or dropout layers of its own; "
                                + "drop the towers' outputs with input_dropout, or use the \"concat\" head",
                        "tasks.rating.head.layers[1]: a \"dot\" head's layers start as the identity map, which takes "
                                + "at least 2 units per layer; got 1",
                        "tasks.rating.head.input_dropout: expected a rate in [0, 1), got 1.5",
                        "tasks.rating.wide.features[1]: 'user_id' is named twice",
                        "tasks.rating.wide.features[2]: 'title' is not a feature of the spec that is looked up as "
                                + "ids (string, integer, text, list, or a discretized number)",
                        "tasks.rating.wide.crosses[0].features: 'genres' and 'genres' are both lists or text; at "
                                + "most one feature of a cross may hold several ids",
                        "tasks.rating.wide.optimizer: expected one of sgd, adam, adamw, adagrad, rmsprop, ftrl; got "
                                + "'ftrll'",
                        "training.l2_weighting: expected \"uniform\" or \"sqrt_frequency\"; got 'sqrt'"));
    }

    @Test
    void aDotHeadNeedsTowersOfOneWidthAndPretrainingARatingModelAlone() throws Exception {
        assertThatThrownBy(() -> parse(WIDE.replace("\"tower\": \"candidate\", \"embedding_dim\": 8}",
                "\"tower\": \"candidate\", \"embedding_dim\": 12}")))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "tasks.rating.head.kind: a \"dot\" head scores query . candidate, so both towers must "
                                + "output the same width; the query tower outputs 16 and the candidate tower 20"));
        assertThatThrownBy(() -> parse(WIDE.replace("\"tasks\": {", "\"tasks\": {\"retrieval\": {}, ")))
                .isInstanceOfSatisfying(SpecException.class, e -> assertThat(e.problems()).containsExactly(
                        "tasks.rating.wide.pretrain_epochs: pre-training the wide part is for a rating model alone; "
                                + "drop it or the retrieval task"));
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
