package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every single-byte change to any file of a small saved model, {@code manifest.json} included, is
 * refused on loading with a {@link ModelFileException} naming a file of the model; none loads.
 * Each byte is changed once, by a mask that cycles through every bit and some whole-byte values.
 */
class ChangedByteTest {

    @FunctionalInterface
    private interface Loader {
        void load(Path dir) throws IOException;
    }

    /** The change made to byte {@code i}: one bit in turn, and every ninth byte a whole new value. */
    private static byte changed(byte original, int i) {
        int mask = i % 9 == 8 ? 0x5A + i % 100 : 1 << (i % 8);
        return (byte) (original ^ mask);
    }

    private static int everyByteChangedIsRefused(Path dir, Loader loader) throws IOException {
        loader.load(dir);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(AtomicFiles.MANIFEST, "model.json", "weights.safetensors");
        int changes = 0;
        List<String> loaded = new ArrayList<>();
        for (Path file : files) {
            byte[] original = Files.readAllBytes(file);
            for (int i = 0; i < original.length; i++) {
                byte[] bytes = original.clone();
                bytes[i] = changed(bytes[i], i);
                Files.write(file, bytes);
                changes++;
                try {
                    loader.load(dir);
                    loaded.add(dir.relativize(file) + " byte " + i);
                } catch (ModelFileException refused) {
                    assertThat(refused.getMessage()).startsWith(dir.toString());
                }
            }
            Files.write(file, original);
        }
        assertThat(loaded).as("changed bytes that loaded").isEmpty();
        loader.load(dir);
        return changes;
    }

    @Test
    void aRatingModel(@TempDir Path dir) throws IOException {
        Interactions.Builder rows = Interactions.builder();
        rows.add(0, 0, 4f, 1L);
        rows.add(1, 2, 2f, 2L);
        rows.add(2, 1, 5f, 3L);
        RatingsData data = RatingsData.of("tiny", rows.build(IdMapping.of(List.of("a", "b", "c")),
                IdMapping.of(List.of("x", "y", "z"))));
        RatingFeatures features = RatingFeatures.idsOnly(data);
        RatingModelConfig config = RatingModelConfig.defaults("mf").withEmbeddingDim(2);
        RatingModelFiles.save(dir, "mf", config, features.spec(), data,
                RatingModels.create("mf", features.spec(), config, new Rng(1)));

        assertThat(everyByteChangedIsRefused(dir, RatingModelFiles::load)).isGreaterThan(1000);
    }

    @Test
    void aFeatureModel(@TempDir Path dir) throws IOException {
        FeatureSpec spec = FeatureSpec.fromJson(new ObjectMapper().readTree("""
                {"data": {"user": "u", "item": "i"},
                 "features": [
                   {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 2},
                   {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 2},
                   {"name": "tags", "kind": "list", "tower": "candidate", "max_length": 2, "embedding_dim": 2}
                 ],
                 "towers": {"query": {"layers": [2]}, "candidate": {"layers": [2]}},
                 "tasks": {"retrieval": {}}}
                """), "tiny spec");
        Interactions.Builder rows = Interactions.builder();
        rows.add(0, 0, 0f, 0L);
        rows.add(1, 1, 0f, 0L);
        Interactions all = rows.build(IdMapping.of(List.of("a", "b")), IdMapping.of(List.of("x", "y")));
        AttributeTable items = AttributeTable.of("items", List.of("i", "tags"), "i",
                List.of(new String[] {"x", "red"}, new String[] {"y", "red|blue"}));
        FeatureEncoder encoder = FeatureEncoder.adapt(FeatureSource.of(spec, all, items, null), all);
        FeatureModelFiles.save(dir, encoder, FeatureModels.build(encoder, 0f, new Rng(0)), List.of("x", "y"),
                Map.of("seed", 0));

        assertThat(everyByteChangedIsRefused(dir, FeatureModelFiles::load)).isGreaterThan(1000);
    }
}
