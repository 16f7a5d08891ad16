package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With one worker and a queue of one, a burst of large batches cannot all wait: those beyond the
 * queue are answered 503 with a JSON error at once, the others are answered, and the server then
 * answers normally again.
 */
class OverloadTest {
    @TempDir
    Path tmp;

    @Test
    void aFullQueueAnswers503AndRecovers() throws Exception {
        ServeOptions tiny = ServeOptions.defaults().withPort(0).withThreads(1).withMaxQueue(1);
        try (ShopServer shop = ShopServer.start(tmp, tiny)) {
            // Each batch keeps the single worker busy for a while: 1000 queries of all 31 items.
            StringBuilder body = new StringBuilder("{\"queries\": [");
            for (int i = 0; i < 1000; i++) {
                body.append(i == 0 ? "" : ",").append("{\"user\": \"u").append(i % 40).append("\", \"k\": 31}");
            }
            String batch = body.append("]}").toString();
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                burst.add(shop.http.sendAsync(HttpRequest.newBuilder(shop.uri("/batch"))
                        .POST(HttpRequest.BodyPublishers.ofString(batch)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int overloaded = 0;
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                HttpResponse<String> r = f.join();
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(shop.json(r).get("error").get("message").asText()).contains("overloaded");
                    overloaded++;
                }
            }
            assertThat(ok).isPositive();
            assertThat(overloaded).isPositive();
            assertThat(shop.get("/metrics").body()).containsPattern("embedrec_http_rejected_total [1-9]");
            assertThat(shop.get("/recommend?user=u1").statusCode()).isEqualTo(200);
        }
    }
}
