package org.embedrec.data.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches from a real HTTP server on the loopback address, serving a small zip made here. */
class MovieLensDownloadTest {
    private HttpServer server;
    private byte[] zip;

    @BeforeEach
    void serve() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("ml-tiny/"));
            out.putNextEntry(new ZipEntry("ml-tiny/u.data"));
            out.write("1\t2\t5\t881250949\n".getBytes(StandardCharsets.US_ASCII));
            out.putNextEntry(new ZipEntry("ml-tiny/README"));
            out.write("tiny".getBytes(StandardCharsets.US_ASCII));
        }
        zip = bytes.toByteArray();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ml-tiny.zip", exchange -> {
            exchange.sendResponseHeaders(200, zip.length);
            exchange.getResponseBody().write(zip);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ml-tiny.zip");
    }

    @Test
    void downloadsVerifiesAndUnpacks(@TempDir Path dir) throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(zip));
        Path out = MovieLensDownload.fetch(uri(), md5, "ml-tiny", dir);

        assertThat(out).isEqualTo(dir.resolve("ml-tiny"));
        assertThat(Files.readString(out.resolve("u.data"))).isEqualTo("1\t2\t5\t881250949\n");
        assertThat(Files.readString(out.resolve("README"))).isEqualTo("tiny");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void aWrongChecksumUnpacksNothing(@TempDir Path dir) {
        assertThatThrownBy(() -> MovieLensDownload.fetch(uri(), "00000000000000000000000000000000", "ml-tiny", dir))
                .hasMessageContaining("expected 00000000000000000000000000000000")
                .hasMessageContaining("nothing was unpacked");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void anUnreachableServerGivesAClearMessage(@TempDir Path dir) {
        server.stop(0);
        assertThatThrownBy(() -> MovieLensDownload.fetch(uri(), "x", "ml-tiny", dir))
                .hasMessageStartingWith("cannot download http://127.0.0.1:");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void releasesParseByName() {
        assertThat(MovieLensDownload.Release.parse("movielens-100k").md5()).isEqualTo("0e33842e24a9c977be4e0107933c0723");
        assertThatThrownBy(() -> MovieLensDownload.Release.parse("netflix"))
                .hasMessage("unknown data set 'netflix': expected movielens-100k or movielens-1m");
    }
}
