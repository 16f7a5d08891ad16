package org.embedrec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.CheckpointFiles;
import org.embedrec.io.FeatureModelFiles;
import org.embedrec.io.RatingModelFiles;
import org.embedrec.models.FeatureModels;
import org.embedrec.models.rating.RatingFeatures;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.RatingModelConfig;
import org.embedrec.models.rating.RatingModels;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.train.Checkpoint;
import org.embedrec.nn.train.Checkpointing;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;

/**
 * The child process of {@link CrashSafeFilesTest}: saves one kind of file set into a directory
 * over and over, two versions in turn, until it is killed. Each kind writes with the code the
 * command line uses and reads back with the loader a user's next command would run, reduced to
 * a digest, so the test can tell "version 0, whole", "version 1, whole" and anything else apart.
 *
 * <pre>java -cp TEST_CLASSPATH org.embedrec.cli.SaveLoop KIND DIR</pre>
 *
 * prints {@code ready} once its data is built and a first save of each version (into a scratch
 * directory beside DIR) has loaded the classes and warmed the code, so that kills land in saves
 * rather than in class loading; then {@code saved} after each save.
 */
public final class SaveLoop {
    private SaveLoop() {}

    /** One kind of file set: how version {@code v} (0 or 1) is written, and a digest of what loads. */
    interface Kind {
        void write(Path dir, int v) throws IOException;

        String readDigest(Path dir) throws IOException;
    }

    public static void main(String[] args) throws IOException {
        Kind kind = kind(args[0]);
        Path dir = Path.of(args[1]);
        Path scratch = dir.resolveSibling(dir.getFileName() + "-warmup");
        kind.write(scratch, 0);
        kind.write(scratch, 1);
        System.out.println("ready");
        System.out.flush();
        for (int i = 1; ; i++) {
            kind.write(dir, i % 2);
            System.out.println("saved");
            System.out.flush();
        }
    }

    static Kind kind(String name) {
        return switch (name) {
            case "rating-model" -> new RatingModelKind();
            case "feature-model" -> new FeatureModelKind();
            case "split-export" -> new SplitExportKind();
            case "checkpoint" -> new CheckpointKind();
            case "sequential-checkpoint" -> new SequentialCheckpointKind();
            default -> throw new IllegalArgumentException("unknown kind " + name);
        };
    }

    /**
     * A matrix factorization of 300 users and 200 items, 64 wide (about 130 KB of weights), seeded
     * by the version; the seed is in model.json too, so new weights beside an old description show.
     */
    static final class RatingModelKind implements Kind {
        private final RatingsData data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults()
                .withSize(300, 200, 10)).data();
        private final RatingFeatures features = RatingFeatures.idsOnly(data);

        @Override
        public void write(Path dir, int v) throws IOException {
            RatingModelConfig config = RatingModelConfig.defaults("mf").withEmbeddingDim(64).withSeed(v);
            RatingModel model = RatingModels.create("mf", features.spec(), config, new Rng(v));
            RatingModelFiles.save(dir, "mf", config, features.spec(), data, model);
        }

        @Override
        public String readDigest(Path dir) throws IOException {
            RatingModelFiles.Loaded loaded = RatingModelFiles.load(dir);
            return parameters(loaded.model()) + loaded.config().seed();
        }
    }

    /** A two-tower feature model of 500 users and 300 items, 32 wide, with its preprocessing. */
    static final class FeatureModelKind implements Kind {
        private static final String SPEC = """
                {"data": {"user": "u", "item": "i"},
                 "features": [
                   {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 32},
                   {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 32},
                   {"name": "tags", "kind": "list", "tower": "candidate", "max_length": 3, "embedding_dim": 8}
                 ],
                 "towers": {"query": {"layers": [32]}, "candidate": {"layers": [32]}},
                 "tasks": {"retrieval": {}}}
                """;
        private final FeatureEncoder encoder;
        private final List<String> itemIds = new ArrayList<>();

        FeatureModelKind() {
            try {
                FeatureSpec spec = FeatureSpec.fromJson(new ObjectMapper().readTree(SPEC),
                        "kill test spec");
                List<String> users = new ArrayList<>();
                for (int u = 0; u < 500; u++) {
                    users.add("user" + u);
                }
                List<String[]> itemRows = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    itemIds.add("item" + i);
                    itemRows.add(new String[] {"item" + i, "tag" + (i % 7) + "|tag" + (i % 11)});
                }
                Interactions.Builder rows = Interactions.builder();
                Rng rng = new Rng(3);
                for (int r = 0; r < 5000; r++) {
                    rows.add(rng.nextInt(500), rng.nextInt(300), 0f, 0L);
                }
                Interactions all = rows.build(IdMapping.of(users), IdMapping.of(itemIds));
                AttributeTable items = AttributeTable.of("items", List.of("i", "tags"), "i", itemRows);
                encoder = FeatureEncoder.adapt(FeatureSource.of(spec, all, items, null), all);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void write(Path dir, int v) throws IOException {
            FeatureModelFiles.save(dir, encoder, FeatureModels.build(encoder, 0f, new Rng(v)), itemIds,
                    Map.of("seed", v));
        }

        @Override
        public String readDigest(Path dir) throws IOException {
            FeatureModelFiles.Loaded loaded = FeatureModelFiles.load(dir);
            return parameters(loaded.model()) + loaded.provenance().path("seed").asInt();
        }
    }

    /** {@code data split} of 300 users' ratings, seed 1 or 2: the files the Python reference reads. */
    static final class SplitExportKind implements Kind {
        private final RatingsData data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults()
                .withSize(300, 200, 10)).data();

        @Override
        public void write(Path dir, int v) throws IOException {
            Split split = DataOptions.split(data, "random:0.8", v + 1);
            new SplitExport(data, split, "random:0.8", v + 1).write(dir);
        }

        @Override
        public String readDigest(Path dir) throws IOException {
            Path files = AtomicFiles.currentVersion(dir);
            MessageDigest digest = sha256();
            List<Path> paths;
            try (Stream<Path> list = Files.list(files)) {
                paths = list.sorted().toList();
            }
            for (Path p : paths) {
                digest.update(p.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(p));
            }
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /** A checkpoint after epoch 1 or 2: 100,000 weights, an order of 1,000 examples, a random stream. */
    static final class CheckpointKind implements Kind {
        @Override
        public void write(Path dir, int v) throws IOException {
            Rng rng = new Rng(v);
            float[] weights = new float[100_000];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = rng.nextFloat();
            }
            TrainingState state = new TrainingState();
            state.putFloats("model/w", Tensor.wrap(weights, 1000, 100));
            state.putInts("trainer/order", rng.permutation(1000));
            state.putRng("trainer/shuffle_random", rng);
            List<EpochResult> epochs = new ArrayList<>();
            for (int e = 1; e <= v + 1; e++) {
                epochs.add(new EpochResult(e, 1.0 / e, 0.5, 0.1, 1000, Map.of("loss", 2.0 / e)));
            }
            CheckpointFiles.save(dir, JsonNodeFactory.instance.objectNode().put("model", "kill-test"),
                    new Checkpoint(v + 1, History.of(epochs, false), state));
        }

        @Override
        public String readDigest(Path dir) throws IOException {
            Checkpoint c = CheckpointFiles.load(dir).checkpoint();
            MessageDigest digest = sha256();
            digest.update((byte) c.epochsDone());
            for (float w : c.state().floats("model/w", new int[] {1000, 100}).data()) {
                digest.update(Float.toString(w).getBytes(StandardCharsets.US_ASCII));
            }
            digest.update(Arrays.toString(c.state().ints("trainer/order", 1000)).getBytes(StandardCharsets.US_ASCII));
            digest.update(Double.toString(c.history().last().loss()).getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest());
        }
    }

    /**
     * A sasrec run's real checkpoints after epoch 1 and 2 of 2 (weights, Adam's moments, dropout
     * and negative streams, early stopping's best copy): read back by resuming them into a new
     * run, which restores every entry, and digesting the model it ends with.
     */
    static final class SequentialCheckpointKind implements Kind {
        private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
        private final NextItemSplit split = NextItemSplit.leaveLastOut(SyntheticMovieLens.generate(
                SyntheticMovieLens.Config.defaults().withSize(80, 300, 12)).data().interactions());
        private final Checkpoint[] checkpoints = new Checkpoint[2];

        SequentialCheckpointKind() {
            SequentialModels.fit(config(2), split, 1, Checkpointing.every(1, c -> checkpoints[c.epochsDone() - 1] =
                    copy(c)));
        }

        private static SequentialConfig config(int epochs) {
            return new SequentialConfig("sasrec", 64, 1, 1, 10, 0.2, 0.01, 16, epochs, NextItemLoss.BCE, 1, 5L, 1,
                    false);
        }

        /** The checkpoint's state holds live arrays, which training goes on changing. */
        private static Checkpoint copy(Checkpoint c) {
            TrainingState state = new TrainingState();
            c.state().floats().forEach((k, t) -> state.putFloats(k, Tensor.wrap(t.data().clone(), t.shape())));
            c.state().ints().forEach((k, v) -> state.putInts(k, v.clone()));
            c.state().longs().forEach((k, v) -> state.putLongs(k, v.clone()));
            return new Checkpoint(c.epochsDone(), c.history().copy(), state, c.phase());
        }

        @Override
        public void write(Path dir, int v) throws IOException {
            CheckpointFiles.save(dir, JSON.objectNode().put("model", "sasrec-kill-test"), checkpoints[v]);
        }

        @Override
        public String readDigest(Path dir) throws IOException {
            Checkpoint c = CheckpointFiles.load(dir).checkpoint();
            // As many epochs as the checkpoint has done: the resumed run restores and trains nothing.
            SequentialModels.Result resumed = SequentialModels.fit(config(c.epochsDone()), split, 1,
                    Checkpointing.none().resumingFrom(c));
            return parameters(resumed.model()) + c.epochsDone() + "/" + resumed.keptEpoch();
        }
    }

    /** A digest of every parameter of {@code model} by path. */
    private static String parameters(Module model) {
        MessageDigest digest = sha256();
        for (Map.Entry<String, Parameter> p : new TreeMap<>(model.namedParameters()).entrySet()) {
            digest.update(p.getKey().getBytes(StandardCharsets.UTF_8));
            for (float w : p.getValue().value().data()) {
                int bits = Float.floatToRawIntBits(w);
                digest.update(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
