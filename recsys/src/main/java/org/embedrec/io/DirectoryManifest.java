package org.embedrec.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The manifest of a version directory ({@link AtomicFiles#writeDirectory}): every other file's
 * path (relative, with {@code /}), size in bytes and CRC-32C, written after them. A version whose
 * files do not match it was damaged or edited after its save, or copied in incompletely.
 *
 * <p>The manifest checks itself by its form: it must be byte for byte what the save writes for
 * its content (two-space indent, {@code \n} line ends, no trailing newline). Every change to its
 * content is caught by the files it then fails to match, and a change that leaves the content as
 * it was (a space, an escaped character) by that comparison, so no byte of a version can change
 * unnoticed.
 */
final class DirectoryManifest {
    static final String FILE = "manifest.json";
    static final String FORMAT = "embedrec-directory";
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Indented with {@code \n} on every platform, so a manifest's bytes do not depend on where it was written. */
    private static final ObjectWriter WRITER = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private DirectoryManifest() {}

    /**
     * Flushes every file under {@code dir} to disk and writes their manifest; returns their
     * relative paths in the manifest's (sorted) order.
     */
    static List<String> write(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isRegularFile(p) && !p.equals(dir.resolve(FILE))) {
                    names.add(relative(dir, p));
                }
            }
        }
        names.sort(null);
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        ArrayNode files = root.putArray("files");
        for (String name : names) {
            Path file = dir.resolve(name);
            AtomicFiles.force(file);
            files.addObject().put("path", name).put("bytes", Files.size(file)).put("crc32c", checksum(file));
        }
        AtomicFiles.write(dir.resolve(FILE), out -> WRITER.writeValue(out, root));
        return names;
    }

    /** Checks every file {@code dir}'s manifest lists: present, of its size and checksum. */
    static void verify(Path dir) throws IOException {
        Path manifest = dir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = FileSizeLimit.readBytes(manifest, FileSizeLimit.DESCRIPTION_BYTES);
        } catch (FileSizeLimit.TooLarge e) {
            throw new ModelFileException(manifest + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            throw new ModelFileException(dir + ": no " + FILE + ", so not a complete saved version (a save writes it "
                    + "last; a directory copied in by hand may be incomplete)");
        }
        verify(dir, bytes);
    }

    /** Checks {@code dir} against {@code content}, the bytes of its manifest. */
    static void verify(Path dir, byte[] content) throws IOException {
        Path manifest = dir.resolve(FILE);
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (IOException e) {
            throw new ModelFileException(manifest + ": not valid JSON: " + ModelDescription.firstLine(e));
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())
                || root.path("format_version").asInt(-1) != FORMAT_VERSION || !root.path("files").isArray()) {
            throw new ModelFileException(manifest + ": not an embedrec manifest of format version " + FORMAT_VERSION);
        }
        if (!Arrays.equals(content, WRITER.writeValueAsBytes(root))) {
            throw new ModelFileException(manifest + ": not as its save wrote it (a space, line end or escape differs); "
                    + "the file was changed after its save");
        }
        for (JsonNode entry : root.path("files")) {
            String name = entry.path("path").asText("");
            Path file = dir.resolve(name).normalize();
            if (name.isEmpty() || !file.startsWith(dir.normalize())) {
                throw new ModelFileException(manifest + ": lists the path '" + name + "', outside the directory");
            }
            if (!Files.isRegularFile(file)) {
                throw new ModelFileException(file + " is missing; " + FILE + " lists it (the directory was changed "
                        + "after its save)");
            }
            long bytes = Files.size(file);
            long expected = entry.path("bytes").asLong(-1);
            if (bytes != expected) {
                throw new ModelFileException(file + ": " + bytes + " bytes, " + FILE + " lists " + expected
                        + " (the file was changed or truncated after its save)");
            }
            String crc = checksum(file);
            if (!crc.equals(entry.path("crc32c").asText())) {
                throw new ModelFileException(file + ": checksum " + crc + ", " + FILE + " lists "
                        + entry.path("crc32c").asText() + " (the file was changed after its save)");
            }
        }
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace(dir.getFileSystem().getSeparator(), "/");
    }

    private static String checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return Long.toHexString(crc.getValue());
    }
}
