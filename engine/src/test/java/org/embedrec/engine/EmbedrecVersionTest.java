package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmbedrecVersionTest {

    @Test
    void currentIsTheFilteredProjectVersion() {
        assertThat(EmbedrecVersion.CURRENT).isNotBlank().doesNotContain("${").isEqualTo(EmbedrecVersion.CURRENT.trim());
        // A Maven version: starts with a digit, e.g. 0.1.0-SNAPSHOT.
        assertThat(EmbedrecVersion.CURRENT).matches("\\d+(\\.\\d+)*([-.][A-Za-z0-9.-]+)?");
    }
}
