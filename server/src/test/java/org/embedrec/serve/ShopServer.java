package org.embedrec.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fixture of the server tests: the frozen shop model of the recommender tests (a spec model
 * of 31 items and 40 users, {@code src/test/resources/shop-model}, copied from recsys) copied
 * into a directory of the test's own, served on a free port, with an HTTP client.
 */
final class ShopServer implements AutoCloseable {
    static final Path FROZEN = Path.of("src/test/resources/shop-model");
    static final String TOKEN = "test-admin-token";

    final Path modelDir;
    final RecommendServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    private ShopServer(Path modelDir, RecommendServer server) {
        this.modelDir = modelDir;
        this.server = server;
    }

    /** The shop model copied into {@code tmp/shop} and served as "default" and as "second" (another copy). */
    static ShopServer start(Path tmp, ServeOptions options) throws IOException {
        Path shop = copyModel(tmp.resolve("shop"));
        Path second = copyModel(tmp.resolve("second"));
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("default", shop);
        models.put("second", second);
        return new ShopServer(shop, RecommendServer.start(models, options));
    }

    /** Serves the model directory {@code modelDir} alone, as "default". */
    static ShopServer serve(Path modelDir, ServeOptions options) throws IOException {
        return new ShopServer(modelDir, RecommendServer.start(Map.of("default", modelDir), options));
    }

    static ShopServer start(Path tmp) throws IOException {
        return start(tmp, ServeOptions.defaults().withPort(0).withThreads(2).withAdminToken(TOKEN));
    }

    /** A copy of the frozen model, as version 1 of {@code dir}. */
    static Path copyModel(Path dir) throws IOException {
        addVersion(dir, 1);
        return dir;
    }

    /** Copies the frozen model's files into {@code dir/version}, as a save of that version would. */
    static Path addVersion(Path dir, int version) throws IOException {
        Path target = Files.createDirectories(dir.resolve(Integer.toString(version)));
        try (Stream<Path> files = Files.list(FROZEN.resolve("1"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    HttpResponse<String> reload(String name, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri("/admin/models/" + name + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode json(HttpResponse<String> response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
