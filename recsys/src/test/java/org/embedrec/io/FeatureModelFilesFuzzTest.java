package org.embedrec.io;

import static org.embedrec.DocumentedFailure.loadsOrFailsWith;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.FeatureModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved feature model whose {@code model.json} is any bytes, beside the valid weights of a
 * small model, either loads or fails with a {@link ModelFileException}. The seed
 * {@code valid-model.json} is what {@link FeatureModelFiles#save} writes for that model.
 */
class FeatureModelFilesFuzzTest {
    static final String SPEC = """
            {"data": {"user": "u", "item": "i"},
             "features": [
               {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 4},
               {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 2},
               {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 4},
               {"name": "price", "kind": "numeric", "tower": "candidate", "discretize": {"boundaries": [10, 20]},
                "embedding_dim": 2},
               {"name": "tags", "kind": "list", "tower": "candidate", "max_length": 3, "embedding_dim": 2}
             ],
             "crosses": [{"features": ["u", "device"], "buckets": 7, "embedding_dim": 2}],
             "towers": {"query": {"layers": [4]}, "candidate": {"layers": [4]}},
             "tasks": {"retrieval": {}}}
            """;

    @TempDir
    static Path dir;

    /** Saves the small model whose weights every input is loaded beside. */
    @BeforeAll
    static void saveModel() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(new ObjectMapper().readTree(SPEC), "fuzz spec");
        Interactions.Builder rows = Interactions.builder().extraColumns(List.of("device"));
        rows.add(0, 0, 0f, 0L, new String[] {"phone"});
        rows.add(1, 1, 0f, 0L, new String[] {"tv"});
        rows.add(0, 2, 0f, 0L, new String[] {"tablet"});
        Interactions all = rows.build(IdMapping.of(List.of("a", "b")), IdMapping.of(List.of("x", "y", "z")));
        AttributeTable items = AttributeTable.of("items", List.of("i", "price", "tags"), "i", List.of(
                new String[] {"x", "5", "red|big"},
                new String[] {"y", "", "blue"},
                new String[] {"z", "25", "red|green"}));
        FeatureEncoder encoder = FeatureEncoder.adapt(FeatureSource.of(spec, all, items, null), all);
        // Written flat, as write() fills a version before it is published: the manifest would refuse
        // every changed model.json before the description reader sees it.
        FeatureModelFiles.write(dir, encoder, FeatureModels.build(encoder, 0f, new Rng(0)), List.of("x", "y", "z"),
                Map.of("seed", 0));
    }

    @FuzzTest(maxDuration = "2m")
    void modelJson(byte[] input) throws Exception {
        Files.write(dir.resolve(ModelDescription.FILE), input);
        loadsOrFailsWith(() -> FeatureModelFiles.load(dir), ModelFileException.class);
    }
}
