package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of bad requests: each is a 4xx JSON error naming the field, never a stack trace, and the server keeps answering. */
class BadRequestsTest {
    @TempDir
    static Path tmp;
    static ShopServer shop;

    @BeforeAll
    static void start() throws Exception {
        shop = ShopServer.start(tmp, ServeOptions.defaults().withPort(0).withThreads(2).withMaxBody(4096)
                .withAdminToken(ShopServer.TOKEN));
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    static Stream<Arguments> badRequests() {
        String big = "{\"user\": \"u1\", \"exclude\": [" + "\"i1\",".repeat(2000) + "\"i2\"]}";
        return Stream.of(
                // method, path, body, status, field, a word of the message
                Arguments.of("GET", "/recommend?user=u1&k=abc", null, 400, "k", "not a whole number"),
                Arguments.of("GET", "/recommend?user=u1&k=0", null, 400, "k", "expected 1 to 10000"),
                Arguments.of("GET", "/recommend?user=u1&k=99999999999999999999", null, 400, "k", "not a whole number"),
                Arguments.of("GET", "/recommend?user=u1&k=10001", null, 400, "k", "out of range"),
                Arguments.of("GET", "/recommend?user=u1&exclude_seen=maybe", null, 400, "exclude_seen", "true or false"),
                Arguments.of("GET", "/recommend?user=u1&at=yesterday", null, 400, "at", "whole number"),
                Arguments.of("GET", "/recommend?user=u1&user=u2", null, 400, "user", "expected once"),
                Arguments.of("GET", "/recommend?usr=u1", null, 400, "usr", "unknown field"),
                Arguments.of("GET", "/recommend?user=", null, 400, "user", "blank"),
                Arguments.of("POST", "/recommend", "{\"user\": \"u1\", \"k\": ", 400, "body", "not valid JSON"),
                Arguments.of("POST", "/recommend", "", 400, "body", "empty"),
                Arguments.of("POST", "/recommend", "[1, 2]", 400, "body", "an array"),
                Arguments.of("POST", "/recommend", "{\"user\": 17}", 400, "user", "the number 17"),
                Arguments.of("POST", "/recommend", "{\"k\": \"ten\"}", 400, "k", "a string"),
                Arguments.of("POST", "/recommend", "{\"k\": 2.5}", 400, "k", "expected an integer"),
                Arguments.of("POST", "/recommend", "{\"k\": 1e30}", 400, "k", "expected an integer"),
                Arguments.of("POST", "/recommend", "{\"k\": 123456789012345678901234567890}", 400, "k", "out of range"),
                Arguments.of("POST", "/recommend", "{\"k\": 20000}", 400, "k", "out of range"),
                Arguments.of("POST", "/recommend", "{\"exclude_seen\": \"yes\"}", 400, "exclude_seen", "true or false"),
                Arguments.of("POST", "/recommend", "{\"exclude\": \"i1\"}", 400, "exclude", "array"),
                Arguments.of("POST", "/recommend", "{\"exclude\": [\"i1\", null]}", 400, "exclude[1]", "null"),
                Arguments.of("POST", "/recommend", "{\"features\": {\"country\": [1]}}", 400, "features.country", "an array"),
                Arguments.of("POST", "/recommend", "{\"features\": {\"colour\": \"red\"}}", 400, "features.colour", "colour"),
                Arguments.of("POST", "/recommend", "{\"filter\": {\"attributes\": {\"shape\": \"round\"}}}", 400, "filter.attributes",
                        "shape"),
                Arguments.of("POST", "/recommend", "{\"filter\": {\"item\": [\"i1\"]}}", 400, "filter.item", "unknown field"),
                Arguments.of("GET", "/recommend?user=u1&attributes=shape", null, 400, "attributes", "'shape' is not an item attribute"),
                Arguments.of("GET", "/similar?item=i1&attributes=category&attributes=", null, 400, "attributes", "an empty name"),
                Arguments.of("POST", "/recommend", "{\"attributes\": \"category\"}", 400, "attributes", "array"),
                Arguments.of("POST", "/recommend", "{\"attributes\": [\"category\", 7]}", 400, "attributes[1]", "the number 7"),
                Arguments.of("POST", "/batch", "{\"queries\": [{}, {\"attributes\": [\"colour\"]}]}", 400,
                        "queries[1].attributes", "'colour'"),
                Arguments.of("POST", "/recommend", "{\"exclude_sen\": true}", 400, "exclude_sen", "unknown field"),
                Arguments.of("POST", "/recommend", "{\"at\": \"now\"}", 400, "at", "seconds since 1970"),
                Arguments.of("POST", "/recommend", "{\"user\": \"u1\", \"history\": [\"i1\"]}", 400, "history",
                        "reads no history"),
                Arguments.of("POST", "/recommend", big, 413, null, ""),
                Arguments.of("POST", "/batch", "{\"queries\": [{\"k\": 1}, {\"k\": -1}]}", 400, "queries[1].k", "out of range"),
                Arguments.of("POST", "/batch", "{\"queries\": {}}", 400, "queries", "an object"),
                Arguments.of("POST", "/score", "{\"user\": \"u1\"}", 400, "items", "missing"),
                Arguments.of("POST", "/score", "{\"user\": \"u1\", \"items\": [\"i1\", \"nope\"]}", 400, "items[1]",
                        "no such item"),
                Arguments.of("GET", "/score?user=u1", null, 400, "item", "missing"),
                Arguments.of("GET", "/similar?k=3", null, 400, "item", "missing"),
                Arguments.of("GET", "/similar?item=%E2%98%83%F0%9F%8E%A5", null, 400, "item", "☃🎥"),
                Arguments.of("GET", "/similar?item=i1&k=-5", null, 400, "k", "out of range"),
                Arguments.of("GET", "/users?limit=lots", null, 400, "limit", "not a whole number"),
                Arguments.of("GET", "/models/nope/recommend?user=u1", null, 404, "name", "no model 'nope'"),
                Arguments.of("GET", "/no/such/route", null, 404, null, "no route"),
                Arguments.of("POST", "/admin/models/default/reload", null, 401, "Authorization", "Bearer"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3} {4}")
    @MethodSource("badRequests")
    void isAJsonErrorNamingTheField(String method, String path, String body, int status, String field, String words) {
        HttpResponse<String> response = method.equals("GET") ? shop.get(path) : shop.post(path, body == null ? "" : body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = shop.json(response).get("error");
        assertThat(error.get("status").asInt()).isEqualTo(status);
        if (field != null) {
            assertThat(error.get("field").asText()).isEqualTo(field);
        }
        assertThat(error.get("message").asText()).contains(words).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(shop.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void unicodeIdsAreAnsweredNotRefused() {
        HttpResponse<String> response = shop.post("/recommend", "{\"user\": \"Zoë 🎬 用户\", \"k\": 2, "
                + "\"exclude\": [\"☃\"]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(shop.json(response).get("source").asText()).isEqualTo("popularity");
    }
}
