package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading while clients ask: no request fails, each answer is wholly one version, and a broken directory is refused. */
class HotReloadTest {
    @TempDir
    Path tmp;

    @Test
    void reloadsDuringConcurrentRequestsFailNone() throws Exception {
        try (ShopServer shop = ShopServer.start(tmp)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    long lastVersion = 0;
                    while (running.get()) {
                        HttpResponse<String> r = client % 2 == 0 ? shop.get("/recommend?user=u" + client + "&k=5")
                                : shop.post("/recommend", "{\"features\": {\"country\": \"c1\"}, \"k\": 5}");
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                            continue;
                        }
                        long version = shop.json(r).get("version").asLong();
                        if (version < lastVersion) {
                            failures.add("version " + version + " after " + lastVersion);
                        }
                        lastVersion = version;
                        answered.incrementAndGet();
                    }
                });
                t.start();
                clients.add(t);
            }
            for (int v = 2; v <= 6; v++) {
                ShopServer.addVersion(shop.modelDir, v);
                HttpResponse<String> reload = shop.reload("default", ShopServer.TOKEN);
                assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
                assertThat(shop.json(reload).get("version").asLong()).isEqualTo(v);
                Thread.sleep(100);
            }
            running.set(false);
            for (Thread t : clients) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(answered.get()).isGreaterThan(20);
            assertThat(shop.json(shop.get("/recommend?user=u1")).get("version").asLong()).isEqualTo(6);
            assertThat(shop.get("/metrics").body())
                    .contains("embedrec_model_reloads_total{model=\"default\",outcome=\"loaded\"} 5.0")
                    .contains("embedrec_model_version{model=\"default\"} 6");
        }
    }

    @Test
    void aDamagedOrHalfWrittenDirectoryIsRefusedAndTheOldModelKeepsServing() throws Exception {
        try (ShopServer shop = ShopServer.start(tmp)) {
            JsonNode before = shop.json(shop.get("/recommend?user=u13"));
            // A damaged weights file in a new version: the manifest's checksum refuses it.
            Path broken = ShopServer.addVersion(shop.modelDir, 2);
            byte[] weights = Files.readAllBytes(broken.resolve("weights.safetensors"));
            weights[weights.length - 1] ^= 0x5a;
            Files.write(broken.resolve("weights.safetensors"), weights);
            assertRefused(shop, "weights.safetensors");
            // A half-copied version: files missing.
            Path half = Files.createDirectories(shop.modelDir.resolve("3"));
            Files.copy(ShopServer.FROZEN.resolve("1/model.json"), half.resolve("model.json"));
            assertRefused(shop, "");
            // Another directory given that is no model at all.
            HttpResponse<String> elsewhere = shop.send(java.net.http.HttpRequest.newBuilder(
                            shop.uri("/admin/models/default/reload"))
                    .header("Authorization", "Bearer " + ShopServer.TOKEN)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"model_dir\": \"" + tmp.resolve("nothing-here") + "\"}")).build());
            assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(422);

            JsonNode after = shop.json(shop.get("/recommend?user=u13"));
            assertThat(after.get("version").asLong()).isEqualTo(1);
            assertThat(after.get("items")).isEqualTo(before.get("items"));
            assertThat(shop.get("/metrics").body())
                    .contains("embedrec_model_reloads_total{model=\"default\",outcome=\"refused\"} 3.0")
                    .contains("embedrec_model_version{model=\"default\"} 1");
        }
    }

    @Test
    void reloadNeedsTheToken() throws Exception {
        try (ShopServer shop = ShopServer.start(tmp)) {
            assertThat(shop.reload("default", null).statusCode()).isEqualTo(401);
            assertThat(shop.reload("default", "wrong-token-value").statusCode()).isEqualTo(401);
            assertThat(shop.reload("nope", ShopServer.TOKEN).statusCode()).isEqualTo(404);
            assertThat(shop.reload("second", ShopServer.TOKEN).statusCode()).isEqualTo(200);
        }
        try (ShopServer open = ShopServer.start(tmp.resolve("open"), ServeOptions.defaults().withPort(0))) {
            assertThat(open.reload("default", ShopServer.TOKEN).statusCode()).isEqualTo(403);
        }
    }

    private static void assertRefused(ShopServer shop, String words) {
        HttpResponse<String> reload = shop.reload("default", ShopServer.TOKEN);
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(422);
        assertThat(shop.json(reload).get("error").get("message").asText()).contains("refused")
                .contains("version 1 keeps serving").contains(words);
    }
}
