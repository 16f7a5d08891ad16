package org.embedrec.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes files so that a reader sees the old content or the new, never a half-written file:
 * the content goes to a temporary file in the same directory, is flushed to disk, and is then
 * renamed over the target.
 *
 * <p><b>Directories.</b> A saved model, a checkpoint or an exported split is several files that
 * only make sense together, and {@link #writeDirectory} replaces such a set as a whole. rename(2)
 * replaces a file atomically but cannot replace a non-empty directory; replacing the files one by
 * one leaves a mix of old and new when the process dies half way; a manifest written last over
 * files replaced in place detects that mix but has already lost the previous set; and renaming
 * the old directory away and a new one in leaves a moment with no directory at all. So the files
 * live in a version subdirectory ({@code version-000001}, {@code version-000002}, ...), written
 * once and never changed, and a small file {@value DirectoryManifest#FILE}, replaced atomically
 * last, names the current version and lists each of its files with its size and CRC-32C (see
 * {@link DirectoryManifest}). Its rename is the commit: a process killed before it leaves the
 * previous version current and whole, one killed after it the new one; older versions are deleted
 * after the commit. {@link #currentDirectory} checks {@value DirectoryManifest#FILE} and every
 * file it lists, so a torn, mixed or altered set is refused down to a single changed byte.
 * A directory without {@value DirectoryManifest#FILE} (saved before versions, or by hand) is read
 * as it is, so older saves keep loading.
 *
 * <p>One writer at a time per directory: a lock file ({@value #LOCK}) serialises writers across
 * processes. Readers take no lock; one that reads while a writer deletes the version it was
 * reading fails with a missing file and can simply read again.
 */
public final class AtomicFiles {
    static final String LOCK = ".lock";
    /** Far above any real file list; a larger {@value DirectoryManifest#FILE} is damage, not a list to read. */
    private static final long MAX_MANIFEST_BYTES = 1 << 20;
    /** Monitors per directory, since a file lock is held by the process and refuses a second thread of it. */
    private static final Map<Path, Object> WRITING = new ConcurrentHashMap<>();

    private AtomicFiles() {}

    /** Fills a new, empty directory with the files of a set. */
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
     * Replaces the files of {@code dir} as one set: {@code writer} fills a new version
     * subdirectory, and the set becomes current when {@value DirectoryManifest#FILE} is renamed
     * over the old one. A failing writer leaves the previous set current and untouched. After the
     * commit, earlier versions are deleted, and so are files at the top of {@code dir} named like
     * one of the new set's (the unversioned layout of older saves).
     */
    public static void writeDirectory(Path dir, DirectoryWriter writer) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": exists and is not a directory");
        }
        Files.createDirectories(dir);
        Path key = dir.toRealPath();
        synchronized (WRITING.computeIfAbsent(key, k -> new Object())) {
            try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                commitNewVersion(dir, writer);
            }
        }
    }

    private static void commitNewVersion(Path dir, DirectoryWriter writer) throws IOException {
        String version = DirectoryManifest.versionName(highestVersion(dir) + 1);
        Path versionDir = Files.createDirectory(dir.resolve(version));
        DirectoryManifest manifest;
        try {
            writer.writeTo(versionDir);
            syncTree(versionDir);
            manifest = DirectoryManifest.of(versionDir, version);
        } catch (IOException | RuntimeException | Error e) {
            deleteQuietly(versionDir);
            throw e;
        }
        writeString(dir.resolve(DirectoryManifest.FILE), manifest.format());
        syncDirectory(dir);
        removeSuperseded(dir, version, manifest.names());
    }

    /**
     * The directory whose files to read for {@code dir}: its current version, once
     * {@value DirectoryManifest#FILE} and every file it lists have been checked; or {@code dir}
     * itself when it has no {@value DirectoryManifest#FILE} (an older save, or a directory made by
     * hand), including when it does not exist, which the caller reports in its own words.
     *
     * @throws ModelFileException naming the file that is damaged, missing or changed
     */
    public static Path currentDirectory(Path dir) throws IOException {
        Path file = dir.resolve(DirectoryManifest.FILE);
        if (!Files.isRegularFile(file)) {
            return dir;
        }
        if (Files.size(file) > MAX_MANIFEST_BYTES) {
            throw new ModelFileException(file + ": damaged, " + Files.size(file) + " bytes is no file list");
        }
        DirectoryManifest manifest = DirectoryManifest.parse(file, Files.readAllBytes(file));
        Path versionDir = dir.resolve(manifest.version());
        manifest.verify(versionDir);
        return versionDir;
    }

    /** Whether {@code dir} holds a set written by {@link #writeDirectory} (whether or not it is intact). */
    public static boolean holdsFileSet(Path dir) {
        return Files.exists(dir.resolve(DirectoryManifest.FILE));
    }

    /** The highest version number among the subdirectories of {@code dir}, 0 when there is none. */
    private static int highestVersion(Path dir) throws IOException {
        int highest = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                highest = Math.max(highest, DirectoryManifest.versionNumber(p.getFileName().toString()));
            }
        }
        return highest;
    }

    /** Deletes every version but {@code current}, stale unversioned copies of its files, and temporary files of killed writes. */
    private static void removeSuperseded(Path dir, String current, List<String> names) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                boolean oldVersion = DirectoryManifest.versionNumber(name) >= 0 && !name.equals(current);
                boolean unversioned = names.contains(name) && !name.equals(DirectoryManifest.FILE)
                        && !name.equals(LOCK) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
                boolean temporary = name.startsWith("." + DirectoryManifest.FILE + ".") && name.endsWith(".tmp");
                if (oldVersion || unversioned || temporary) {
                    deleteQuietly(p);
                }
            }
        }
    }

    /** Flushes every file and directory under {@code root} to disk, so the commit cannot reach the disk before them. */
    private static void syncTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.toList();
        }
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                try (FileChannel channel = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            } else {
                syncDirectory(p);
            }
        }
    }

    /** Flushes a directory's entries; some systems (Windows) cannot open a directory, and need not. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here: the rename is as durable as the platform makes it.
        }
    }

    /** Deletes a file or a whole tree; what cannot be deleted now is left for the next write to remove. */
    private static void deleteQuietly(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // A leftover is harmless: it is not current, and the next write deletes it.
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
