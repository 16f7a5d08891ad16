package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.recommend.ItemFilter;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code train --spec ... --save} then {@code recommend} on the saved directory: every kind of
 * request prints what {@link Recommender} answers for it, and says what the answer is based on.
 */
class RecommendSpecCommandTest extends CommandLineTestBase {
    @TempDir
    static Path shared;
    private static Path model;
    private static Recommender recommender;
    private static String trained;

    @BeforeAll
    static void trainAndSave() throws IOException {
        SyntheticShop.write(shared, new SyntheticShop.Config(200, 100, 5, 5, 5_000, 0.9, 3));
        Path spec = Files.writeString(shared.resolve("shop.json"), TrainSpecTest.SPEC);
        model = shared.resolve("model");
        PrintStream original = System.out;
        ByteArrayOutputStream trainOut = new ByteArrayOutputStream();
        System.setOut(new PrintStream(trainOut, true));
        StringWriter trainErr = new StringWriter();
        int code;
        try {
            CommandLine cl = EmbedrecCommand.commandLine();
            cl.setErr(new PrintWriter(trainErr, true));
            code = cl.execute("train", "--spec", spec.toString(), "--data",
                    shared.resolve("interactions.csv").toString(), "--quiet", "--save", model.toString());
        } finally {
            System.setOut(original);
        }
        assertThat(code).as(trainErr.toString()).isZero();
        trained = trainOut.toString();
        recommender = Recommender.load(model);
    }

    /** The item ids of the table printed by the last run, in order. */
    private List<String> listed() {
        List<String> ids = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+", 4);
            if (f.length >= 3 && f[0].matches("\\d+") && f[1].matches("-?\\d+\\.\\d+")) {
                ids.add(f[2]);
            }
        }
        return ids;
    }

    private static List<String> ids(Recommendations r) {
        return r.items().stream().map(RecommendedItem::itemId).toList();
    }

    private String recommend(String... args) {
        out.reset();
        List<String> all = new ArrayList<>(List.of("recommend", "--model-dir", model.toString()));
        all.addAll(List.of(args));
        int code = run(all.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void aKnownUserIsListedWithTheItemsAttributesAndSeenMarks() {
        String text = recommend("--user", "u3", "--k", "30");
        // The spec reads no time, so none is shown.
        assertThat(text).startsWith("top 30 for user u3; items seen in training marked (seen)\n")
                .contains("category=cat").contains("  (seen)");
        assertThat(listed()).isEqualTo(ids(recommender.recommend(Query.user("u3").k(30).build())));

        recommend("--user", "u3", "--k", "30", "--exclude-seen");
        assertThat(out.toString()).doesNotContain("(seen)");
        assertThat(listed()).isEqualTo(ids(recommender.recommend(Query.user("u3").k(30).excludeSeen(true).build())));
    }

    @Test
    void aNewUserIsAnsweredFromTheFeaturesGiven() {
        String text = recommend("--user", "newcomer", "--feature", "country=country1", "--feature", "device=tv");
        assertThat(text).startsWith("top 10 for user newcomer with country=country1, device=tv")
                .contains("from these features by the query tower");
        assertThat(listed()).isEqualTo(ids(recommender.recommend(Query.user("newcomer")
                .feature("country", "country1").feature("device", "tv").build())));
        // No user at all: the features alone.
        recommend("--feature", "country=country4", "--feature", "device=phone", "--k", "4");
        assertThat(listed()).isEqualTo(ids(recommender.recommend(Query.builder().feature("country", "country4")
                .feature("device", "phone").k(4).build())));
    }

    @Test
    void aNewUserWithoutFeaturesGetsThePopularItemsSaidAsSuch() {
        String text = recommend("--user", "newcomer");
        assertThat(text).startsWith("top 10 by popularity (the most interacted-with items in training): user "
                + "newcomer is not one the model was trained on, and no features were given");
        assertThat(listed()).isEqualTo(ids(recommender.recommend(Query.user("newcomer").build())));
    }

    @Test
    void similarItemsScoresAndFilters() {
        recommend("--similar-to", "i3", "--k", "5");
        assertThat(out.toString()).startsWith("5 items nearest to item i3 by the cosine");
        assertThat(listed()).isEqualTo(ids(recommender.similar("i3", 5))).doesNotContain("i3");

        recommend("--user", "u3", "--score", "i1,i2,i50");
        assertThat(out.toString()).startsWith("predicted ratings of 3 items for user u3");
        // The spec path saved the training labels' range; the ratings printed are clipped to it.
        assertThat(recommender.info().scoreRange()).isNotNull();
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .endsWith(", clipped to the training ratings' range " + recommender.info().scoreRange());
        assertThat(out.toString()).contains("  i1\n").contains("  i50\n");

        recommend("--user", "u3", "--where", "category=cat2", "--exclude", "i2,i7", "--k", "5");
        assertThat(listed()).hasSize(5).doesNotContain("i2", "i7").isEqualTo(ids(recommender.recommend(
                Query.user("u3").k(5).exclude(List.of("i2", "i7")).filter(ItemFilter.where("category", "cat2"))
                        .build())));
        assertThat(out.toString().lines().skip(2)).allMatch(l -> l.contains("category=cat2"));

        recommend("--user", "u3", "--only", "i9,i1,i4");
        assertThat(listed()).containsExactlyInAnyOrder("i9", "i1", "i4");
    }

    @Test
    void evaluateReproducesTheMetricsTrainPrinted() {
        int code = run("evaluate", "--model-dir", model.toString(), "--data",
                shared.resolve("interactions.csv").toString());
        assertThat(code).as(err.toString()).isZero();
        String line = out.toString();
        assertThat(line).startsWith("MultiTaskModel on interactions (random:0.8): test top_1_accuracy");
        String metrics = line.substring(line.indexOf(": test"), line.indexOf("  |"));
        assertThat(trained).contains("MultiTaskModel from shop.json on interactions (random:0.8)" + metrics + "  |");
    }

    @Test
    void badRequestsAreOneLine() {
        assertThat(run("recommend", "--model-dir", model.toString(), "--user", "u3", "--feature", "colour=red"))
                .isEqualTo(2);
        assertThat(err.toString()).startsWith("embedrec recommend: features['colour']: the model's query tower reads "
                + "no such feature; it reads country, device").doesNotContain("Exception");
        assertThat(err.toString().strip().lines().count()).isEqualTo(1);
    }
}
