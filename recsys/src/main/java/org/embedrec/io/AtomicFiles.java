package org.embedrec.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes files, and whole directories of files, so that a reader sees the old content or the
 * new, never a half-written file or a mix of two saves.
 *
 * <p>A file ({@link #write}) goes to a temporary file in the same directory, is flushed to disk,
 * and is then renamed over the target.
 *
 * <p>A directory of files that belong together ({@link #writeDirectory}, a saved model) cannot
 * be replaced that way: rename(2) does not replace a non-empty directory, and replacing it file
 * by file lets a reader (or a crash) meet the new weights beside the old description. So a
 * directory is versioned, as TensorFlow Serving lays out a model base path: each save fills a
 * temporary directory {@code DIR/.tmp-*}, adds a manifest listing every file with its size and
 * CRC-32C ({@value #MANIFEST}), flushes it all to disk, and renames it to the next free version
 * number, {@code DIR/1}, {@code DIR/2}, ... That rename to a new name is atomic, so a numbered
 * directory is always complete; a crash before it leaves only a temporary directory, which
 * readers ignore and a later save removes. Readers take the highest version
 * ({@link #currentVersion}), which they never see change under them: a save never writes into a
 * published version. Why not a pointer file naming the current version: the highest number
 * needs no second write that could be lost, and a version copied in by hand is published by
 * the same rule. After publishing, a save deletes all but the new version and the one before it,
 * which a reader that started earlier may still be reading.
 *
 * <p>The manifest also makes damage after the save visible: {@link #currentVersion} checks every
 * listed file's size and checksum, and the manifest's own bytes against the form a save writes
 * (see {@link DirectoryManifest}), and refuses the directory with a {@link ModelFileException}
 * naming the file. A directory written flat, before versions (its files directly in
 * {@code DIR}), still reads as its own current version, unchecked by a manifest.
 */
public final class AtomicFiles {
    /** The file of a version directory listing every other file with its size and checksum. */
    public static final String MANIFEST = DirectoryManifest.FILE;
    /** Temporary directories of saves that crashed are removed by a later save once they are this old. */
    private static final Duration ABANDONED = Duration.ofHours(1);
    private static final String TEMPORARY_PREFIX = ".tmp-";

    private AtomicFiles() {}

    /** Fills a new, empty directory with the files of one save. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void writeTo(Path directory) throws IOException;
    }

    /** Writes the target through {@code content}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = createTemporary(dir, target.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                // Writers such as Jackson close what they are given; the rename must still follow a sync.
                content.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        out.flush();
                    }
                });
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Publishes a new version of the directory {@code dir} (created if absent), filled by
     * {@code writer} (see the class comment): either every file the writer wrote becomes the
     * current version, or, when the writer or the disk fails, nothing changes. Returns the new
     * version's directory, {@code dir/N}. Files of a flat, unversioned save directly in
     * {@code dir} that the new version also has are removed, so no stale copy sits beside it.
     *
     * @throws IllegalArgumentException if {@code dir} exists and is not a directory
     */
    public static Path writeDirectory(Path dir, DirectoryWriter writer) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": exists and is not a directory");
        }
        Files.createDirectories(dir);
        Path tmp = createTemporaryDirectory(dir);
        try {
            writer.writeTo(tmp);
            List<String> written = DirectoryManifest.write(tmp);
            force(tmp);
            Path published = publish(dir, tmp);
            force(dir);
            removeSuperseded(dir, written);
            return published;
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * Creates the directory {@code dir} filled by {@code writer}, whole or not at all: the writer
     * fills a temporary directory beside {@code dir}, which is flushed to disk and renamed to
     * {@code dir}. For a new data set rather than a saved model (no versions, no manifest).
     *
     * @throws IllegalArgumentException if {@code dir} exists and is not an empty directory
     */
    public static void createDirectory(Path dir, DirectoryWriter writer) throws IOException {
        Path target = dir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            boolean empty;
            try (Stream<Path> entries = Files.isDirectory(target) ? Files.list(target) : null) {
                empty = entries != null && entries.findAny().isEmpty();
            }
            if (!empty) {
                throw new IllegalArgumentException(dir + ": exists and is not an empty directory; choose a new one");
            }
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = createTemporaryDirectory(parent, "." + target.getFileName() + TEMPORARY_PREFIX);
        try {
            writer.writeTo(tmp);
            try (Stream<Path> files = Files.list(tmp)) {
                for (Path f : files.toList()) {
                    force(f);
                }
            }
            force(tmp);
            Files.deleteIfExists(target); // an empty directory the user made for it
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            force(parent);
        } finally {
            deleteRecursively(tmp);
        }
    }

    /**
     * The directory holding the current files of {@code dir}: its highest version
     * ({@code dir/N}), after checking every file against the version's manifest, or {@code dir}
     * itself when it has no versions (a flat save from before versions, or not a saved
     * directory at all: the caller's own checks name what is missing).
     *
     * @throws ModelFileException if the highest version has no manifest, or a file is missing,
     *     of another size, or of another checksum than its manifest lists
     */
    public static Path currentVersion(Path dir) throws IOException {
        List<Long> versions = versions(dir);
        if (versions.isEmpty()) {
            return dir;
        }
        Path current = dir.resolve(Long.toString(versions.get(versions.size() - 1)));
        DirectoryManifest.verify(current);
        return current;
    }

    /**
     * Whether {@code dir} holds a version written by {@link #writeDirectory}, intact or not: a
     * directory a new run or export should not silently take over.
     */
    public static boolean hasVersions(Path dir) {
        try {
            return !versions(dir).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** The version numbers in {@code dir}, ascending; empty when it has none or is no directory. */
    static List<Long> versions(Path dir) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (isVersionName(name) && Files.isDirectory(p)) {
                    out.add(Long.parseLong(name));
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static boolean isVersionName(String name) {
        if (name.isEmpty() || name.length() > 18 || (name.length() > 1 && name.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Renames the filled temporary directory to the next free version number. Another save
     * publishing at the same moment takes a number first; then this one takes the next.
     */
    private static Path publish(Path dir, Path tmp) throws IOException {
        List<Long> versions = versions(dir);
        long next = versions.isEmpty() ? 1 : versions.get(versions.size() - 1) + 1;
        while (true) {
            Path target = dir.resolve(Long.toString(next));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return target;
            } catch (FileSystemException e) {
                // Linux reports a taken number as ENOTEMPTY, which Java leaves a plain FileSystemException.
                if (!Files.exists(target)) {
                    throw e;
                }
                next++;
            }
        }
    }

    /**
     * Deletes the versions before the last two, temporary directories abandoned by crashed
     * saves, and flat files that the current version replaces.
     */
    private static void removeSuperseded(Path dir, List<String> written) throws IOException {
        List<Long> versions = versions(dir);
        for (int i = 0; i < versions.size() - 2; i++) {
            deleteRecursively(dir.resolve(Long.toString(versions.get(i))));
        }
        FileTime abandoned = FileTime.from(Instant.now().minus(ABANDONED));
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(TEMPORARY_PREFIX) && modifiedBefore(p, abandoned)) {
                    deleteRecursively(p);
                }
            }
        }
        for (String name : written) {
            Path flat = dir.resolve(name);
            if (Files.isRegularFile(flat)) {
                Files.delete(flat);
            }
        }
    }

    /** Whether {@code p} was last modified before {@code time}; false once another save has renamed it. */
    private static boolean modifiedBefore(Path p, FileTime time) throws IOException {
        try {
            return Files.getLastModifiedTime(p).compareTo(time) < 0;
        } catch (NoSuchFileException published) {
            return false;
        }
    }

    private static Path createTemporaryDirectory(Path dir) throws IOException {
        return createTemporaryDirectory(dir, TEMPORARY_PREFIX);
    }

    private static Path createTemporaryDirectory(Path dir, String prefix) throws IOException {
        while (true) {
            Path candidate = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException taken) {
                // another save drew the same name; draw again
            }
        }
    }

    /**
     * Flushes a file's content, or a directory's entries, to disk. Directories cannot be opened
     * for that on every system (not on Windows); there the rename's own durability must do.
     */
    static void force(Path path) throws IOException {
        boolean directory = Files.isDirectory(path);
        try (FileChannel channel = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
        }
    }

    /** Deletes {@code root} and everything under it; what another save deletes meanwhile is no error. */
    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> all = Files.walk(root)) {
            paths = all.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException | UncheckedIOException gone) {
            if (gone instanceof UncheckedIOException u && !(u.getCause() instanceof NoSuchFileException)) {
                throw u;
            }
            return;
        }
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p);
            } catch (DirectoryNotEmptyException refilled) {
                // a concurrent walk of the same tree has not caught up yet; its own pass removes it
            }
        }
    }

    /**
     * A new empty file beside the target. Not {@code Files.createTempFile}: that makes the file
     * owner-only, and the rename would carry those permissions to the user's file; a plain
     * create honours the umask like any other file the user writes.
     */
    private static Path createTemporary(Path dir, String targetName) throws IOException {
        while (true) {
            Path candidate = dir.resolve("." + targetName + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // another writer drew the same name; draw again
            }
        }
    }
}
