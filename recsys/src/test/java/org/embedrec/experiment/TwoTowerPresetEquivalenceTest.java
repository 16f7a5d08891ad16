package org.embedrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.RatingsData;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLens100k;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.engine.Rng;
import org.embedrec.features.FeatureSpec;
import org.embedrec.models.retrieval.RetrievalData;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerModel;
import org.embedrec.models.retrieval.TwoTowerSpecs;
import org.embedrec.models.retrieval.TwoTowerTraining;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two-tower presets are specs that compute what the hand-written {@link TwoTowerModel}
 * computes: on the same MovieLens-format directory, split and seed, the preset trained through
 * {@link FeatureExperiment} and the hand-written model trained by {@link TwoTowerTraining} have
 * the same parameter count and the same training loss and held-out metrics epoch by epoch, bit
 * for bit (same preprocessing, same initial weights drawn in the same order, same batches, same
 * sampled negatives). {@code train --model two-tower} trains {@link TwoTowerSpecs#of} of its
 * options, so this is what keeps its numbers those of the hand-written model.
 */
class TwoTowerPresetEquivalenceTest {
    private static final long SEED = 7;
    private static final TwoTowerConfig SMALL = TwoTowerConfig.defaults().withBatchSize(64).withEpochs(4)
            .withValidationFreq(2).withSeed(SEED);

    @ParameterizedTest
    @ValueSource(strings = {"two-tower", "two-tower-deep"})
    void thePresetTrainsExactlyAsTheHandWrittenModel(String preset, @TempDir Path dir) throws IOException {
        FeatureSpec spec = FeatureSpec.preset(preset)
                .withTraining(new FeatureSpec.Training("adagrad", 0.1, 64, 4, 2));
        assertSameTraining(SMALL.withLayers(spec.queryTower().layers()), spec, dir);
    }

    /** Every option of {@code --model two-tower}, written into the spec by {@link TwoTowerSpecs}. */
    static Stream<TwoTowerConfig> options() {
        TwoTowerConfig deep = SMALL.withLayers(List.of(64, 32));
        return Stream.of(
                deep.withSampledNegatives(8),
                deep.withSampledNegatives(8).withLogQCorrection(true).withRemoveAccidentalHits(true),
                SMALL.withLogQCorrection(true).withBatchSize(48).withTemperature(0.5f),
                deep.withEmbeddingDim(16).withOptimizer("adam", 0.01f).withEpochs(3).withValidationFreq(1)
                        .withSampledNegatives(5).withLogQCorrection(true).withTemperature(0.2f).withBatchSize(40));
    }

    @ParameterizedTest
    @MethodSource("options")
    void theOptionsWrittenIntoTheSpecTrainExactlyAsTheHandWrittenModel(TwoTowerConfig config, @TempDir Path dir)
            throws IOException {
        assertSameTraining(config, TwoTowerSpecs.of(config), dir);
    }

    @Test
    void theDefaultsAreTheShippedSpecs() {
        assertThat(TwoTowerSpecs.of(TwoTowerConfig.defaults()).toJson())
                .isEqualTo(FeatureSpec.preset("two-tower").toJson());
        assertThat(TwoTowerSpecs.of(TwoTowerConfig.defaults().withLayers(List.of(64, 32))).toJson())
                .isEqualTo(FeatureSpec.preset("two-tower-deep").toJson());
        assertThat(TwoTowerSpecs.of(TwoTowerConfig.defaults().withSampledNegatives(3)).retrieval().sampledNegatives())
                .isEqualTo(3);
    }

    private static void assertSameTraining(TwoTowerConfig config, FeatureSpec spec, Path dir) throws IOException {
        Path ml = writeDirectory(dir.resolve("ml"));
        RatingsData data = MovieLensReader.read(ml);
        Split split = Split.random(data.interactions(), 0.8, SEED);
        RetrievalData prepared = RetrievalData.prepare(data, split);
        TwoTowerModel hand = new TwoTowerModel(prepared.queryFeatures(), prepared.candidateFeatures(), config,
                new Rng(SEED));
        History handHistory = TwoTowerTraining.fit(hand, prepared.train(), prepared.test());

        SpecData specData = SpecData.read(spec, dir, ml, BadLinePolicy.FAIL, ReadProgress.NONE);
        Split specSplit = Split.random(specData.interactions().interactions(), 0.8, SEED);
        FeatureExperiment.Prepared specPrepared = FeatureExperiment.prepare(spec,
                specData.interactions().interactions(), specSplit, specData.items(), specData.users());
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(specPrepared,
                FeatureExperiment.Settings.of(spec, SEED));

        assertThat(fitted.model().parameterCount()).isEqualTo(hand.parameterCount());
        List<EpochResult> expected = handHistory.epochs();
        List<EpochResult> actual = fitted.history().epochs();
        assertThat(actual).hasSameSizeAs(expected).hasSize(config.epochs());
        for (int e = 0; e < expected.size(); e++) {
            assertThat(actual.get(e).loss()).as("epoch %d training loss", e + 1).isEqualTo(expected.get(e).loss());
            Map<String, Double> want = expected.get(e).validation();
            assertThat(actual.get(e).validation().keySet()).as("epoch %d validated", e + 1)
                    .containsAll(want.keySet());
            for (String metric : want.keySet()) {
                assertThat(actual.get(e).validation()).as("epoch %d %s", e + 1, metric)
                        .containsEntry(metric, want.get(metric));
            }
        }
        // Both learn (the numbers are not equal by being constant), and the metrics were compared.
        assertThat(expected.get(expected.size() - 1).loss()).isLessThan(expected.get(0).loss());
        assertThat(expected.get(expected.size() - 1).validation()).containsKey("top_10_accuracy");
    }

    /**
     * A MovieLens 100K-format directory of generated rows (never MovieLens data): 30 users, 24
     * items whose titles share words by group, each user rating 14 items, mostly of the group
     * {@code user % 4}, at times spread over two months.
     */
    private static Path writeDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        String[] groupWords = {"Harbor Lights", "Iron Comet", "Silent Orchard", "Paper Moon"};
        String[] extra = {"Returns", "Again", "Forever", "The Sequel", "Part"};
        StringBuilder items = new StringBuilder();
        String noGenres = String.join("|", java.util.Collections.nCopies(19, "0"));
        for (int i = 1; i <= 24; i++) {
            String title = groupWords[i % 4] + " " + extra[i % 5] + (i > 20 ? "" : " " + i) + " (19" + (70 + i) + ")";
            items.append(i).append('|').append(title).append("|01-Jan-19").append(70 + i)
                    .append("||http://example.org/").append(i).append('|').append(noGenres).append('\n');
        }
        StringBuilder genres = new StringBuilder();
        for (int g = 0; g < MovieLens100k.STANDARD_GENRES.size(); g++) {
            genres.append(MovieLens100k.STANDARD_GENRES.get(g)).append('|').append(g).append('\n');
        }
        StringBuilder users = new StringBuilder();
        StringBuilder ratings = new StringBuilder();
        Random random = new Random(3);
        for (int u = 1; u <= 30; u++) {
            users.append(u).append("|30|F|other|00000\n");
            boolean[] rated = new boolean[25];
            for (int k = 0; k < 14; k++) {
                int item;
                do {
                    item = random.nextInt(10) < 8 ? 1 + 4 * random.nextInt(6) + (u % 4 == 0 ? 3 : u % 4 - 1)
                            : 1 + random.nextInt(24);
                } while (rated[item]);
                rated[item] = true;
                long time = 880_000_000L + random.nextInt(5_000_000);
                ratings.append(u).append('\t').append(item).append('\t').append(1 + random.nextInt(5)).append('\t')
                        .append(time).append('\n');
            }
        }
        Files.writeString(dir.resolve("u.item"), items, StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("u.genre"), genres + "\n", StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("u.user"), users, StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("u.data"), ratings, StandardCharsets.ISO_8859_1);
        return dir;
    }
}
