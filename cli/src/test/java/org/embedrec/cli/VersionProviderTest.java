package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.embedrec.engine.EmbedrecVersion;
import org.junit.jupiter.api.Test;

class VersionProviderTest extends CommandLineTestBase {

    @Test
    void versionPrintsTheBuildsVersion() {
        assertThat(run("--version")).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("embedrec " + EmbedrecVersion.CURRENT);
    }
}
