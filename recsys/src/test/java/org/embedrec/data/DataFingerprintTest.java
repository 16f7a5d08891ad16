package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fingerprint is SHA-256 over the byte stream its class comment describes: each number as 8
 * big-endian bytes, each text as its UTF-8 length then its bytes, null as length -1. Checked
 * against that stream written out by hand, with ASCII and non-ASCII ids, an extra column with a
 * null value, and enough rows that the stream crosses the class's internal buffer many times.
 */
class DataFingerprintTest {

    private static final class Stream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void number(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes.write((int) (v >>> shift) & 0xFF);
            }
        }

        void text(String s) {
            if (s == null) {
                number(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            number(b.length);
            bytes.write(b, 0, b.length);
        }

        String sha256() throws Exception {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        }
    }

    @Test
    void digestsTheDocumentedByteStreamAcrossBufferBoundaries() throws Exception {
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int u = 0; u < 300; u++) {
            users.add(u % 7 == 0 ? "usér-" + u : "user-" + u);
        }
        // One id longer than the buffer, so it cannot be gathered in it.
        items.add("x".repeat(70_000));
        for (int i = 1; i < 50; i++) {
            items.add(i % 5 == 0 ? "項目" + i : "item" + i);
        }
        Interactions.Builder b = Interactions.builder().extraColumns(List.of("device"));
        int rows = 6000;
        for (int r = 0; r < rows; r++) {
            String device = r % 11 == 0 ? null : (r % 3 == 0 ? "phone" : "télé");
            b.add((r * 7) % users.size(), (r * 13) % items.size(), 0.5f * (r % 10), 1_000_000L + 17L * r,
                    new String[] {device});
        }
        Interactions part = b.build(IdMapping.of(users), IdMapping.of(items));

        Stream want = new Stream();
        want.text("train");
        want.number(part.size());
        want.text("device");
        for (int r = 0; r < part.size(); r++) {
            want.text(users.get((r * 7) % users.size()));
            want.text(items.get((r * 13) % items.size()));
            want.number(Float.floatToIntBits(0.5f * (r % 10)));
            want.number(1_000_000L + 17L * r);
        }
        for (String value : part.extraColumn("device")) {
            want.text(value);
        }

        assertThat(new DataFingerprint().add("train", part).hex()).isEqualTo(want.sha256());
    }

    @Test
    void hexMayBeAskedBetweenAdditionsWithoutChangingTheEnd() throws Exception {
        Interactions.Builder b = Interactions.builder();
        b.add(0, 1, 4f, 10L);
        b.add(1, 0, 3.5f, 20L);
        Interactions part = b.build(IdMapping.of(List.of("a", "b")), IdMapping.of(List.of("x", "y")));
        DataFingerprint once = new DataFingerprint().add("train", part).add("test", part);
        DataFingerprint twice = new DataFingerprint().add("train", part);
        String middle = twice.hex();
        twice.add("test", part);

        assertThat(middle).isNotEqualTo(twice.hex());
        assertThat(twice.hex()).isEqualTo(once.hex());
    }
}
