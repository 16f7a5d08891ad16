package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code embedrec serve} refuses bad options and models in one line and exit code 2, before listening. */
class ServeCommandTest extends CommandLineTestBase {
    @TempDir
    Path tmp;

    @Test
    void aMissingModelDirectoryIsOneLine() {
        assertThat(run("serve", "--model-dir", tmp.resolve("nope").toString(), "--port", "0")).isEqualTo(2);
        assertThat(err.toString()).startsWith("embedrec serve: model 'default'").contains("nope")
                .doesNotContain("\tat ");
    }

    @Test
    void badOptionsAreNamed() {
        assertThat(run("serve", "--model-dir", tmp.toString(), "--threads", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--threads 0");
        assertThat(run("serve", "--model-dir", tmp.toString(), "--model", "a/b=" + tmp)).isEqualTo(2);
        assertThat(err.toString()).contains("--model a/b");
        assertThat(run("serve", "--model-dir", tmp.toString(), "--admin-token", "short")).isEqualTo(2);
        assertThat(err.toString()).contains("--admin-token");
    }
}
