package org.embedrec.cli;

import org.embedrec.engine.EmbedrecVersion;
import picocli.CommandLine;

/** What {@code embedrec --version} prints: the build's version, from {@link EmbedrecVersion}. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"embedrec " + EmbedrecVersion.CURRENT};
    }
}
