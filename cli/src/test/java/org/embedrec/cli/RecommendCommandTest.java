package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.TwoTowerRecommender.Recommendation;
import org.embedrec.recommend.UserHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recommend} on a two-tower directory of the format {@code train --model two-tower --save}
 * wrote before the preset trained through its spec ({@link HandWrittenTwoTower}), end to end on
 * the built-in synthetic data; {@code TrainTwoTowerTest} recommends from what it saves now.
 */
class RecommendCommandTest extends CommandLineTestBase {
    @TempDir
    static Path shared;
    private static Path model;
    private static TwoTowerRecommender saved;


    @BeforeAll
    static void trainAndSave() throws IOException {
        model = shared.resolve("two-tower");
        // A directory of the format the two-tower preset saved before it trained through its spec.
        HandWrittenTwoTower.save(DataOptions.load("synthetic", "fail", true), "random:0.8",
                TwoTowerConfig.defaults().withEpochs(1).withBatchSize(512).withEmbeddingDim(8)
                        .withLayers(List.of(16, 8)), model);
        saved = TwoTowerModelFiles.load(model).recommender();
    }

    /** The table rows of the last run: rank, score, item id, title (and maybe "(seen)"). */
    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+", 4);
            if (f.length == 4 && f[0].matches("\\d+") && f[1].matches("-?\\d+\\.\\d+")) {
                rows.add(f);
            }
        }
        return rows;
    }

    private void assertListed(List<Recommendation> expected) {
        List<String[]> rows = rows();
        assertThat(rows).hasSize(expected.size());
        for (int i = 0; i < rows.size(); i++) {
            Recommendation r = expected.get(i);
            assertThat(rows.get(i)[0]).isEqualTo(Integer.toString(i + 1));
            assertThat(Float.parseFloat(rows.get(i)[1])).isCloseTo(r.score(), org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(rows.get(i)[2]).isEqualTo(r.itemId());
            assertThat(rows.get(i)[3]).startsWith(r.title());
        }
    }

    @Test
    void recommendsTheSavedModelsTopKWithTitlesAndScoresAtTheUsersLatestTime() {
        int code = run("recommend", "--model-dir", model.toString(), "--user", "7");

        assertThat(code).as(err.toString()).isZero();
        UserHistory h = saved.history();
        long latest = h.latestTimestamp(h.row("7"));
        assertThat(out.toString()).startsWith("top 10 for user 7 at " + latest + " (")
                .contains("the user's latest training interaction");
        assertListed(saved.recommend("7", 10, false));
        // Without --exclude-seen, items seen in training are listed and marked.
        for (String[] row : rows()) {
            boolean seen = h.hasSeen(h.row("7"), saved.itemRow(row[2]));
            assertThat(row[3].endsWith("  (seen)")).as("item %s", row[2]).isEqualTo(seen);
        }
    }

    @Test
    void excludeSeenLeavesOutEveryItemTheUserHadInTraining() {
        int code = run("recommend", "--model-dir", model.toString(), "--user", "7", "--exclude-seen", "--k", "200");

        assertThat(code).as(err.toString()).isZero();
        UserHistory h = saved.history();
        int user = h.row("7");
        assertThat(out.toString()).contains("the items seen in training left out");
        assertListed(saved.recommend("7", 200, true));
        for (String[] row : rows()) {
            assertThat(h.hasSeen(user, saved.itemRow(row[2]))).as("item %s", row[2]).isFalse();
        }
        // The same request without exclusion does list seen items among its 200.
        out.reset();
        run("recommend", "--model-dir", model.toString(), "--user", "7", "--k", "200");
        assertThat(out.toString()).contains("(seen)");
    }

    @Test
    void atTakesSecondsOrAnIsoDate() {
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "12", "--at", "1998-01-01", "--k", "5"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("top 5 for user 12 at 883612800 (1998-01-01T00:00:00Z); ");
        assertListed(saved.recommend("12", 883_612_800L, 5, false));

        out.reset();
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "12", "--at", "883612800", "--k", "5"))
                .isZero();
        assertListed(saved.recommend("12", 883_612_800L, 5, false));
    }

    @Test
    void similarToTakesAnItemIdOrItsTitleAndNeverListsTheItemItself() {
        assertThat(run("recommend", "--model-dir", model.toString(), "--similar-to", "5", "--k", "8"))
                .as(err.toString()).isZero();
        String byId = out.toString();
        String title = saved.catalogue().title(saved.itemRow("5"));
        assertThat(byId).startsWith("8 items nearest to item 5 '" + title + "' by the cosine");
        assertListed(saved.similarTo(saved.itemRow("5"), 8));
        assertThat(rows()).noneMatch(r -> r[2].equals("5"));

        out.reset();
        assertThat(run("recommend", "--model-dir", model.toString(), "--similar-to", title, "--k", "8")).isZero();
        assertThat(out.toString()).isEqualTo(byId);
    }

    @Test
    void theGraphIndexListsTheExactTopKOrNearlySo() {
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "3", "--index", "hnsw"))
                .as(err.toString()).isZero();
        List<String> approximate = new ArrayList<>();
        for (String[] row : rows()) {
            approximate.add(row[2]);
        }
        List<String> exact = new ArrayList<>();
        for (Recommendation r : saved.recommend("3", 10, false)) {
            exact.add(r.itemId());
        }
        assertThat(approximate).hasSize(10);
        assertThat(approximate.stream().filter(exact::contains).count()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void aUserTheModelWasNotTrainedOnGetsThePopularItemsMarkedAsSuch() {
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "nobody", "--k", "5"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("top 5 by popularity (the most interacted-with items in training): "
                + "user nobody is not one the model was trained on, and no features were given");
        assertThat(rows()).hasSize(5);
    }

    @Test
    void badRequestsAndBadDirectoriesAreOneLineAndExitCode2(@TempDir Path dir) throws IOException {
        String m = model.toString();
        expectError("no such directory", "recommend", "--model-dir", dir.resolve("nowhere").toString(), "--user", "1");
        expectError("not a saved model (no model.json)", "recommend", "--model-dir", dir.toString(), "--user", "1");
        expectError("item 'Nonexistent Film (1900)': no item has this id or title", "recommend", "--model-dir", m,
                "--similar-to", "Nonexistent Film (1900)");
        expectError("--k must be at least 1, got 0", "recommend", "--model-dir", m, "--user", "1", "--k", "0");
        expectError("give --user ID (or --feature COLUMN=VALUE, or --history ITEM,...) to recommend to a user, or "
                        + "--similar-to ITEM",
                "recommend", "--model-dir", m);
        expectError("give either --user or --similar-to, not both", "recommend", "--model-dir", m, "--user", "1",
                "--similar-to", "5");
        expectError("--exclude-seen applies to --user, not to --similar-to", "recommend", "--model-dir", m,
                "--similar-to", "5", "--exclude-seen");
        expectError("--at yesterday: expected seconds since 1970", "recommend", "--model-dir", m, "--user", "1",
                "--at", "yesterday");
        expectError("--index faiss: expected brute or hnsw", "recommend", "--model-dir", m, "--user", "1",
                "--index", "faiss");

        Path rating = dir.resolve("rating");
        Files.createDirectories(rating);
        Files.writeString(rating.resolve("model.json"), "{\"format\": \"embedrec-rating-model\", \"model\": \"mf\"}");
        expectError("model.json: format version -1, this embedrec reads version 1", "recommend", "--model-dir",
                rating.toString(), "--user", "1");
        expectError("features['age']: the model's query tower reads no such feature; it reads only the user id and "
                + "the time", "recommend", "--model-dir", m, "--user", "1", "--feature", "age=20");

        Path damaged = dir.resolve("damaged");
        Files.createDirectories(damaged);
        Path version = AtomicFiles.currentVersion(model);
        Files.copy(version.resolve("model.json"), damaged.resolve("model.json"));
        byte[] weights = Files.readAllBytes(version.resolve("weights.safetensors"));
        weights[weights.length / 2] ^= 0x40;
        Files.write(damaged.resolve("weights.safetensors"), weights);
        expectError("checksum mismatch", "recommend", "--model-dir", damaged.toString(), "--user", "1");
        byte[] saved = Files.readAllBytes(version.resolve("weights.safetensors"));
        Files.write(version.resolve("weights.safetensors"), weights);
        expectError("weights.safetensors: checksum", "recommend", "--model-dir", m, "--user", "1");
        Files.write(version.resolve("weights.safetensors"), saved); // the other tests share the model
    }

    private void expectError(String message, String... args) {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        String text = err.toString();
        assertThat(text).as(String.join(" ", args)).startsWith("embedrec recommend: ").contains(message);
        assertThat(text.strip().lines().count()).as(text).isEqualTo(1);
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
