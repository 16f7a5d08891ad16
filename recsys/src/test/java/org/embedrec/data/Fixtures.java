package org.embedrec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small hand-written data files for the reader tests (never MovieLens data itself). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path write(Path dir, String name, String content, Charset charset) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, content, charset);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path dir, String name, String content) {
        return write(dir, name, content, StandardCharsets.UTF_8);
    }

    public static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }
}
