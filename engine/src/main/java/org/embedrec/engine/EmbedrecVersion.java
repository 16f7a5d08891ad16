package org.embedrec.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The embedrec version of this build: the Maven project version, written into
 * {@code version.properties} by resource filtering when the engine is built. Every artefact that
 * records how it was made (saved models, run reports, the CLI's {@code --version}) reads it
 * here, so a release changes it in one place, the POM.
 */
public final class EmbedrecVersion {
    private static final String RESOURCE = "version.properties";

    /** The version, e.g. {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
    public static final String CURRENT = read();

    private EmbedrecVersion() {}

    private static String read() {
        Properties p = new Properties();
        try (InputStream in = EmbedrecVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("org/embedrec/engine/" + RESOURCE
                        + " is missing from the class path: the engine was not built by Maven");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading org/embedrec/engine/" + RESOURCE + ": " + e.getMessage(), e);
        }
        String v = p.getProperty("version", "").trim();
        // An unfiltered copy (built without Maven's resource filtering) would say "${project.version}".
        if (v.isEmpty() || v.contains("${")) {
            throw new IllegalStateException("org/embedrec/engine/" + RESOURCE + " holds no version (got '" + v
                    + "'): the engine's resources were not filtered by Maven");
        }
        return v;
    }
}
