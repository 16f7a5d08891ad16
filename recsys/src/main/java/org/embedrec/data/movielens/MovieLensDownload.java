package org.embedrec.data.movielens;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Downloads an official MovieLens release, checks its MD5 against the published value, and
 * unpacks it under a data directory ({@code ~/.embedrec/data} by default). The zip is fetched
 * to a temporary file and unpacked into a temporary directory that is renamed into place only
 * when everything succeeded, so a failed or interrupted fetch leaves nothing half-written.
 */
public final class MovieLensDownload {

    /** The releases we know, with their official address and published MD5. */
    public enum Release {
        MOVIELENS_100K("movielens-100k", "ml-100k", "https://files.grouplens.org/datasets/movielens/ml-100k.zip",
                "0e33842e24a9c977be4e0107933c0723"),
        MOVIELENS_1M("movielens-1m", "ml-1m", "https://files.grouplens.org/datasets/movielens/ml-1m.zip",
                "c4d9eecfca2ab87c1945afe126590906");

        private final String name;
        private final String directory;
        private final String url;
        private final String md5;

        Release(String name, String directory, String url, String md5) {
            this.name = name;
            this.directory = directory;
            this.url = url;
            this.md5 = md5;
        }

        public String displayName() {
            return name;
        }

        public String directory() {
            return directory;
        }

        public String url() {
            return url;
        }

        public String md5() {
            return md5;
        }

        public static Release parse(String text) {
            for (Release r : values()) {
                if (r.name.equals(text.toLowerCase(Locale.ROOT))) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown data set '" + text
                    + "': expected movielens-100k or movielens-1m");
        }
    }

    private MovieLensDownload() {}

    /** The default place for downloaded data: {@code ~/.embedrec/data}. */
    public static Path defaultDataDirectory() {
        return Path.of(System.getProperty("user.home"), ".embedrec", "data");
    }

    /** Fetches {@code release} from its official address into {@code dataDir}; returns the unpacked directory. */
    public static Path fetch(Release release, Path dataDir) throws IOException {
        return fetch(URI.create(release.url()), release.md5(), release.directory(), dataDir);
    }

    /**
     * Fetches the zip at {@code source}, verifies its MD5, and unpacks the entries under its
     * top-level folder {@code directory} into {@code dataDir/directory}.
     */
    public static Path fetch(URI source, String expectedMd5, String directory, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path target = dataDir.resolve(directory);
        Path zip = Files.createTempFile(dataDir, "." + directory, ".zip");
        Path staging = null;
        try {
            String md5 = download(source, zip);
            if (!md5.equalsIgnoreCase(expectedMd5)) {
                throw new IOException("the download from " + source + " has MD5 " + md5 + ", expected "
                        + expectedMd5 + ": the file is damaged or not the official release; nothing was unpacked");
            }
            staging = Files.createTempDirectory(dataDir, "." + directory + ".unpack");
            unzip(zip, directory, staging);
            if (Files.exists(target)) {
                deleteTree(target);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
            return target;
        } finally {
            Files.deleteIfExists(zip);
            if (staging != null) {
                deleteTree(staging);
            }
        }
    }

    private static String download(URI source, Path zip) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("cannot download " + source + " (" + describe(e)
                    + "); without a network, copy the unpacked folder there by hand", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("download of " + source + " was interrupted", e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("cannot download " + source + ": the server answered HTTP " + response.statusCode());
        }
        MessageDigest md5 = md5();
        try (InputStream in = new DigestInputStream(response.body(), md5);
             OutputStream out = Files.newOutputStream(zip)) {
            in.transferTo(out);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static void unzip(Path zip, String directory, Path staging) throws IOException {
        String prefix = directory + "/";
        int files = 0;
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                if (!name.startsWith(prefix) || name.equals(prefix)) {
                    continue;
                }
                Path out = staging.resolve(name.substring(prefix.length())).normalize();
                if (!out.startsWith(staging)) {
                    throw new IOException("the zip entry '" + name + "' points outside its folder; refusing to unpack");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                    files++;
                }
            }
        }
        if (files == 0) {
            throw new IOException("the zip has no files under '" + prefix + "'");
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
