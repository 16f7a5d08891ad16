package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code embedrec demo} on a smaller synthetic data set: it runs, shows three users, and fits the planted tastes. */
class DemoCommandTest {

    @Test
    void trainsAndShowsThreeUsersWhoseRecommendationsMostlyComeFromTheirPlantedClusters() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true));
        int code;
        try {
            CommandLine cl = EmbedrecCommand.commandLine();
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute("demo", "--users", "300", "--items", "300", "--per-user", "40");
        } finally {
            System.setOut(original);
        }
        String text = out.toString();

        assertThat(code).as(err.toString()).isZero();
        assertThat(text).contains("two-tower retrieval").contains("300 users, 300 items")
                .contains("held-out top-10 accuracy");
        assertThat(Pattern.compile("^user \\d+: likes cluster \\d", Pattern.MULTILINE).matcher(text).results().count())
                .isEqualTo(DemoCommand.USERS_SHOWN);
        assertThat(Pattern.compile("^ {4}.* 10\\. [+ ] \\S", Pattern.MULTILINE).matcher(text).results().count())
                .as(text).isEqualTo(DemoCommand.USERS_SHOWN);
        assertThat(text.split("last rated", -1)).hasSize(DemoCommand.USERS_SHOWN + 1);

        // Recommendations are sensible: far more of them come from the user's two planted clusters than chance gives.
        Matcher fit = Pattern.compile("over all (\\d+) users, (\\d+)% of their top 10 .* which hold (\\d+)% of the catalogue")
                .matcher(text);
        assertThat(fit.find()).as(text).isTrue();
        assertThat(Integer.parseInt(fit.group(1))).isGreaterThan(200);
        assertThat(Integer.parseInt(fit.group(2))).isGreaterThanOrEqualTo(2 * Integer.parseInt(fit.group(3)));
    }

    @Test
    void badEpochsAreOneLine() {
        StringWriter err = new StringWriter();
        CommandLine cl = EmbedrecCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("demo", "--epochs", "0")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("embedrec demo: --epochs must be at least 1, got 0" + System.lineSeparator());
    }
}
