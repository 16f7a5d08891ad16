package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.embedrec.engine.EmbedrecVersion;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.UserHistory;
import org.embedrec.models.retrieval.TrainedTwoTower;
import org.embedrec.models.retrieval.TwoTowerModel;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Save, load, and the errors of a damaged, foreign or mismatched two-tower model directory. */
class TwoTowerModelFilesTest {
    private static final TrainedTwoTower TRAINED = TrainedTwoTower.train(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The model saved, with its files then moved into a flat directory: the layout of saves made
     * before versioned directories, which must keep loading, and the one where the format's own
     * checks (rather than the version's manifest) meet damaged files.
     */
    private static Path saved(Path dir) throws IOException {
        Path versioned = dir.resolve("versioned");
        TwoTowerModelFiles.save(versioned, TRAINED.recommender(), TRAINED.data().name(), "random:0.8");
        Path model = Files.createDirectories(dir.resolve("model"));
        Path version = AtomicFiles.currentVersion(versioned);
        for (String f : new String[] {"model.json", "weights.safetensors"}) {
            Files.move(version.resolve(f), model.resolve(f));
        }
        return model;
    }

    @Test
    void aSaveIsOneVersionOfTheDirectoryWhoseDamageTheManifestNames(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model");
        TwoTowerModelFiles.save(model, TRAINED.recommender(), TRAINED.data().name(), "random:0.8");
        TwoTowerModelFiles.save(model, TRAINED.recommender(), TRAINED.data().name(), "random:0.9");
        assertThat(TwoTowerModelFiles.load(model).split()).isEqualTo("random:0.9");
        Path weights = model.resolve("2").resolve("weights.safetensors");
        byte[] b = Files.readAllBytes(weights);
        b[b.length - 10] ^= 0x01;
        Files.write(weights, b);
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("2/weights.safetensors: checksum")
                .hasMessageContaining("the file was changed after its save");
    }

    @Test
    void aLoadedModelHasTheSameWeightsFeaturesCatalogueHistoryAndRecommendations(@TempDir Path dir) throws IOException {
        Path model = saved(dir);
        TwoTowerModelFiles.Loaded loaded = TwoTowerModelFiles.load(model);
        TwoTowerRecommender before = TRAINED.recommender();
        TwoTowerRecommender after = loaded.recommender();
        TwoTowerModel m = after.model();

        assertThat(loaded.dataName()).isEqualTo(TRAINED.data().name());
        assertThat(loaded.split()).isEqualTo("random:0.8");
        assertThat(m.config()).isEqualTo(TRAINED.model().config());
        assertThat(m.queryFeatures()).isEqualTo(TRAINED.model().queryFeatures());
        assertThat(m.candidateFeatures()).isEqualTo(TRAINED.model().candidateFeatures());
        Map<String, Parameter> saved = TRAINED.model().namedParameters();
        assertThat(m.namedParameters().keySet()).containsExactlyElementsOf(saved.keySet());
        for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) {
            assertThat(p.getValue().value().data()).as(p.getKey())
                    .containsExactly(saved.get(p.getKey()).value().data());
        }
        assertThat(m.isTraining()).isFalse();

        assertThat(after.catalogue().itemIds()).isEqualTo(before.catalogue().itemIds());
        assertThat(after.catalogue().titles()).containsExactly(before.catalogue().titles());
        // The stored embeddings are the loaded model's own, bit for bit.
        assertThat(after.candidateEmbeddings()).containsExactly(before.candidateEmbeddings());
        assertThat(m.embedCatalogue(after.catalogue())).containsExactly(before.candidateEmbeddings());

        UserHistory h = after.history();
        assertThat(h.userIds()).isEqualTo(before.history().userIds());
        assertThat(h.latestTimestamps()).containsExactly(before.history().latestTimestamps());
        assertThat(h.offsets()).containsExactly(before.history().offsets());
        assertThat(h.items()).containsExactly(before.history().items());

        for (String user : h.userIds()) {
            assertThat(after.recommend(user, 10, true)).as(user).isEqualTo(before.recommend(user, 10, true));
            assertThat(after.recommend(user, 10, false)).as(user).isEqualTo(before.recommend(user, 10, false));
        }
        assertThat(after.similarTo(2, 5)).isEqualTo(before.similarTo(2, 5));
    }

    /** What a Python reader sees: the standard header, the history as I32 and I64 vectors, I64 first for alignment. */
    @Test
    void theWeightsAreStandardSafetensorsWithTheHistoryAsIntegerVectors(@TempDir Path dir) throws IOException {
        Path model = saved(dir);
        byte[] b = Files.readAllBytes(model.resolve("weights.safetensors"));
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = JSON.readTree(new String(b, 8, (int) n, StandardCharsets.UTF_8));
        int users = TRAINED.recommender().history().size();
        int items = TRAINED.recommender().catalogue().size();
        int width = TRAINED.model().embeddingWidth();

        JsonNode latest = header.get("users/latest_timestamp");
        assertThat(latest.get("dtype").asText()).isEqualTo("I64");
        assertThat(latest.get("shape").toString()).isEqualTo("[" + users + "]");
        assertThat(latest.get("data_offsets").get(0).asLong()).isZero();
        assertThat(header.get("users/seen_offsets").get("dtype").asText()).isEqualTo("I32");
        assertThat(header.get("users/seen_offsets").get("shape").toString()).isEqualTo("[" + (users + 1) + "]");
        assertThat(header.get("users/seen_items").get("dtype").asText()).isEqualTo("I32");
        assertThat(header.get("catalogue/candidate_embeddings").get("shape").toString())
                .isEqualTo("[" + items + "," + width + "]");
        assertThat(header.get("query_tower/user_embedding/embeddings").get("dtype").asText()).isEqualTo("F32");
        long firstLatest = ByteBuffer.wrap(b, (int) (8 + n), 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(firstLatest).isEqualTo(TRAINED.recommender().history().latestTimestamp(0));

        JsonNode description = JSON.readTree(model.resolve("model.json").toFile());
        assertThat(description.get("format").asText()).isEqualTo("embedrec-two-tower-model");
        assertThat(description.get("format_version").asInt()).isEqualTo(1);
        assertThat(description.get("embedrec_version").asText()).isEqualTo(EmbedrecVersion.CURRENT);
        assertThat(description.get("users")).hasSize(users);
        assertThat(description.get("catalogue").get("titles")).hasSize(items);
        assertThat(description.get("weights_crc32c").asText())
                .isEqualTo(header.get("__metadata__").get("embedrec.crc32c").asText());
    }

    @Test
    void savingTwiceWritesTheSameBytes(@TempDir Path dir) throws IOException {
        Path first = saved(dir);
        Path second = dir.resolve("again");
        TwoTowerModelFiles.save(second, TRAINED.recommender(), TRAINED.data().name(), "random:0.8");
        for (String f : new String[] {"model.json", "weights.safetensors"}) {
            assertThat(Files.readAllBytes(AtomicFiles.currentVersion(second).resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(first.resolve(f)));
        }
    }

    @Test
    void damagedWeightsFailTheirChecksum(@TempDir Path dir) throws IOException {
        Path model = saved(dir);
        Path weights = model.resolve("weights.safetensors");
        byte[] b = Files.readAllBytes(weights);
        b[b.length - 10] ^= 0x01;
        Files.write(weights, b);
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("weights.safetensors: checksum mismatch");

        Files.write(weights, java.util.Arrays.copyOf(b, 100));
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("weights.safetensors");

        Files.delete(weights);
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).hasMessageContaining("weights.safetensors is missing");
    }

    @Test
    void weightsOfAnotherSaveAreRecognisedEvenWhenTheShapesAgree(@TempDir Path dir) throws IOException {
        Path model = saved(dir);
        Path other = dir.resolve("other");
        TwoTowerModelFiles.save(other, TrainedTwoTower.train(4).recommender(), "other", "random:0.8");
        Files.copy(AtomicFiles.currentVersion(other).resolve("weights.safetensors"), model.resolve("weights.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("are not the ones model.json was saved with");
    }

    @Test
    void aUserListedTwiceIsADamagedDescriptionNamingTheFieldAndTheId(@TempDir Path dir) throws IOException {
        Path model = saved(dir);
        Path json = model.resolve("model.json");
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ArrayNode users = (ArrayNode) root.get("users");
        users.set(2, users.get(0));
        Files.writeString(json, root.toString());
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("model.json: damaged model description: 'users' lists '" + users.get(0).asText()
                        + "' twice (again at position 2)");
    }

    @Test
    void aDescriptionThatNoLongerFitsTheWeightsNamesTheTensorAndBothShapes(@TempDir Path dir) throws IOException {
        Path model = saved(dir);
        Path json = model.resolve("model.json");
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.get("config")).put("embeddingDim", 9);
        Files.writeString(json, root.toString());
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("tensor 'query_tower/user_embedding/embeddings' has shape [")
                .hasMessageContaining(", 8], the model needs [")
                .hasMessageContaining(", 9]");

        ((ObjectNode) root.get("config")).put("embeddingDim", 0);
        Files.writeString(json, root.toString());
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model))
                .hasMessageContaining("model.json: damaged model description")
                .hasMessageContaining("embeddingDim must be at least 1");

        root.remove("catalogue");
        Files.writeString(json, root.toString());
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).hasMessageContaining("damaged model description");
    }

    @Test
    void foreignOrMissingFilesGetOneClearMessage(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> TwoTowerModelFiles.load(dir.resolve("nowhere")))
                .isInstanceOf(ModelFileException.class).hasMessageContaining("nowhere: no such directory");
        assertThatThrownBy(() -> TwoTowerModelFiles.load(dir)).hasMessageContaining("not a saved model (no model.json)");

        Path model = saved(dir);
        Path json = model.resolve("model.json");
        String original = Files.readString(json);
        Files.writeString(json, original.substring(0, original.length() / 2));
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model)).hasMessageContaining("model.json: not valid JSON");

        Files.writeString(json, "{\"format\": \"embedrec-rating-model\", \"format_version\": 1, \"model\": \"mf\"}");
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model))
                .hasMessageContaining("holds a rating model ('mf'); recommending needs a two-tower model");

        Files.writeString(json, "{\"name\": \"some other tool\"}");
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model))
                .hasMessageContaining("not an embedrec two-tower model (format is ''");

        Files.writeString(json, original.replace("\"format_version\" : 1", "\"format_version\" : 7"));
        assertThatThrownBy(() -> TwoTowerModelFiles.load(model))
                .hasMessageContaining("format version 7, this embedrec reads version 1");

        Path file = dir.resolve("plain.txt");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> TwoTowerModelFiles.save(file, TRAINED.recommender(), "d", "s"))
                .hasMessageContaining("exists and is not a directory");
    }
}
