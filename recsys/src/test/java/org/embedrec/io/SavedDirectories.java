package org.embedrec.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Saved directories as tests take them apart: the current files, or the layout of a save from
 * before versioned directories, whose files no {@code CURRENT} checks, so that a test can edit a
 * file and reach the format's own checks behind the checksums.
 */
final class SavedDirectories {
    private SavedDirectories() {}

    static Path current(Path dir) throws IOException {
        return AtomicFiles.currentDirectory(dir);
    }

    /** Moves the current files of {@code dir} to its top and deletes the rest; returns {@code dir}. */
    static Path unversioned(Path dir) throws IOException {
        Path current = current(dir);
        List<Path> files;
        try (Stream<Path> list = Files.list(current)) {
            files = list.toList();
        }
        for (Path f : files) {
            Files.move(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        List<Path> rest;
        try (Stream<Path> walk = Files.walk(dir)) {
            rest = walk.filter(p -> {
                String top = dir.relativize(p).toString().split("/")[0];
                return top.startsWith("version-") || top.equals("CURRENT") || top.equals(AtomicFiles.LOCK);
            }).sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : rest) {
            Files.delete(p);
        }
        return dir;
    }
}
