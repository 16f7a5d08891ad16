package org.embedrec.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The {@value #FILE} file of a directory written by {@link AtomicFiles#writeDirectory}: which
 * version subdirectory is current, and each of its files with its size and CRC-32C, closed by the
 * CRC-32C of the lines before it. A strict text format, so a shell or Python reader finds the
 * files with no library:
 *
 * <pre>
 * embedrec-directory 1
 * current version-000003
 * file model.json 1234 0f1e2d3c
 * file weights.safetensors 567890 a1b2c3d4
 * crc32c 89abcdef
 * </pre>
 *
 * <p>The closing checksum makes any change to this file detectable, and the listed checksums
 * any change to the files (a CRC-32C catches every change of up to 32 consecutive bits, so
 * certainly every single-byte change).
 */
record DirectoryManifest(String version, List<Entry> files) {
    static final String FILE = "CURRENT";
    private static final String HEADER = "embedrec-directory 1";
    private static final Pattern VERSION = Pattern.compile("version-[0-9]{6,9}");
    /** Relative paths of plain names: no spaces (fields are space-separated), no "..", no absolute path. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    /** One listed file: its path relative to the version directory, size in bytes and CRC-32C. */
    record Entry(String name, long size, int crc32c) {}

    DirectoryManifest {
        files = List.copyOf(files);
    }

    /** The number of a version directory's name, or -1 for a name that is not one. */
    static int versionNumber(String name) {
        return VERSION.matcher(name).matches() ? Integer.parseInt(name.substring("version-".length())) : -1;
    }

    static String versionName(int number) {
        return String.format(Locale.ROOT, "version-%06d", number);
    }

    /** Lists every regular file under {@code dir}, sorted by path, with its size and checksum. */
    static DirectoryManifest of(Path dir, String version) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : paths) {
            String name = dir.relativize(p).toString().replace('\\', '/');
            if (!NAME.matcher(name).matches()) {
                throw new IOException(p + ": a file of a saved directory must have a plain name "
                        + "(letters, digits, '_', '.', '-')");
            }
            entries.add(new Entry(name, Files.size(p), checksum(p)));
        }
        return new DirectoryManifest(version, entries);
    }

    String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n');
        sb.append("current ").append(version).append('\n');
        for (Entry e : files) {
            sb.append("file ").append(e.name()).append(' ').append(e.size()).append(' ')
                    .append(hex(e.crc32c())).append('\n');
        }
        byte[] body = sb.toString().getBytes(StandardCharsets.US_ASCII);
        sb.append("crc32c ").append(hex(checksum(body, body.length))).append('\n');
        return sb.toString();
    }

    /** Parses {@code bytes}, the content of {@code file}; anything but a well-formed, self-consistent manifest is refused. */
    static DirectoryManifest parse(Path file, byte[] bytes) {
        int lastLine = lastLineStart(bytes);
        if (lastLine < 0) {
            throw damaged(file, "it does not end with its checksum line");
        }
        String last = new String(bytes, lastLine, bytes.length - lastLine - 1, StandardCharsets.US_ASCII);
        if (!last.matches("crc32c [0-9a-f]{8}")) {
            throw damaged(file, "it does not end with its checksum line");
        }
        int expected = Integer.parseUnsignedInt(last.substring(7), 16);
        int actual = checksum(bytes, lastLine);
        if (actual != expected) {
            throw damaged(file, "its checksum is " + hex(actual) + ", its last line says " + hex(expected)
                    + ": the file was changed after it was written");
        }
        String[] lines = new String(bytes, 0, lastLine, StandardCharsets.US_ASCII).split("\n", -1);
        // The body ends with a newline, so the split leaves one empty string after the last line.
        if (lines.length < 3 || !lines[0].equals(HEADER) || !lines[lines.length - 1].isEmpty()) {
            throw damaged(file, "expected '" + HEADER + "' on its first line");
        }
        if (!lines[1].startsWith("current ") || versionNumber(lines[1].substring(8)) < 0) {
            throw damaged(file, "line 2 must be 'current version-NNNNNN', got '" + lines[1] + "'");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 2; i < lines.length - 1; i++) {
            entries.add(entry(file, i + 1, lines[i]));
        }
        return new DirectoryManifest(lines[1].substring(8), entries);
    }

    private static Entry entry(Path file, int lineNumber, String line) {
        String[] f = line.split(" ", -1);
        if (f.length != 4 || !f[0].equals("file") || !NAME.matcher(f[1]).matches() || f[1].contains("..")
                || !f[2].matches("[0-9]{1,18}") || !f[3].matches("[0-9a-f]{8}")) {
            throw damaged(file, "line " + lineNumber + " must be 'file NAME SIZE CRC32C', got '" + line + "'");
        }
        return new Entry(f[1], Long.parseLong(f[2]), Integer.parseUnsignedInt(f[3], 16));
    }

    /** Checks every listed file of {@code versionDir} against its size and checksum. */
    void verify(Path versionDir) throws IOException {
        if (!Files.isDirectory(versionDir)) {
            throw new ModelFileException(versionDir + ": missing, though " + FILE + " names it as the current files");
        }
        for (Entry e : files) {
            Path p = versionDir.resolve(e.name());
            long size;
            try {
                size = Files.size(p);
            } catch (NoSuchFileException missing) {
                throw new ModelFileException(p + ": missing, though " + FILE + " lists it; the directory is incomplete");
            }
            if (size != e.size()) {
                throw new ModelFileException(p + ": " + size + " bytes, " + FILE + " lists " + e.size()
                        + "; the file was changed or cut short after it was saved");
            }
            int crc = checksum(p);
            if (crc != e.crc32c()) {
                throw new ModelFileException(p + ": checksum " + hex(crc) + ", " + FILE + " lists " + hex(e.crc32c())
                        + "; the file was changed after it was saved");
            }
        }
    }

    /** The listed names, for callers that clean up after a write. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (Entry e : files) {
            out.add(e.name());
        }
        return Collections.unmodifiableList(out);
    }

    private static int lastLineStart(byte[] bytes) {
        if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
            return -1;
        }
        for (int i = bytes.length - 2; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    private static int checksum(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, n);
            }
        }
        return (int) crc.getValue();
    }

    private static int checksum(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }

    private static String hex(int crc) {
        return String.format(Locale.ROOT, "%08x", crc);
    }

    private static ModelFileException damaged(Path file, String why) {
        return new ModelFileException(file + ": damaged, " + why);
    }
}
