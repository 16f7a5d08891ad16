package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("user/embeddings", Tensor.of(new float[] {1f, -2f, 3.5f, 0f, 1e-8f, 7f}, 3, 2));
        t.put("dense/bias", Tensor.of(new float[] {0.25f}, 1));
        return t;
    }

    @Test
    void roundTripsValuesShapesAndMetadata(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("weights.safetensors");
        SafeTensors.write(f, sample(), Map.of("format", "embedrec"));

        SafeTensors.Contents c = SafeTensors.read(f);
        assertThat(c.tensors().keySet()).containsExactly("user/embeddings", "dense/bias");
        assertThat(c.tensors().get("user/embeddings").shape()).containsExactly(3, 2);
        assertThat(c.tensors().get("user/embeddings").data()).containsExactly(1f, -2f, 3.5f, 0f, 1e-8f, 7f);
        assertThat(c.metadata()).containsEntry("format", "embedrec").doesNotContainKey("embedrec.crc32c");
    }

    /** One model, one file: the header's metadata is written in key order, whatever order the map gives. */
    @Test
    void theSameContentsGiveTheSameBytesWhateverTheMetadataMapsOrder(@TempDir Path dir) throws IOException {
        Map<String, String> forward = new LinkedHashMap<>();
        Map<String, String> backward = new LinkedHashMap<>();
        for (int k = 0; k < 12; k++) {
            forward.put("key" + k, "value " + k);
            backward.put("key" + (11 - k), "value " + (11 - k));
        }
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        SafeTensors.write(a, sample(), forward);
        SafeTensors.write(b, sample(), backward);
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        assertThat(SafeTensors.read(a).metadata()).isEqualTo(forward);
    }

    /** The layout other tools read: header length, JSON header, little-endian floats. */
    @Test
    void writesTheStandardLayout(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, Map.of("x", Tensor.of(new float[] {1f, 2f}, 2)), Map.of());
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(n % 8).isZero();
        assertThat(header).contains("\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}");
        assertThat(b.length).isEqualTo(8 + n + 8);
        assertThat(ByteBuffer.wrap(b, (int) (8 + n), 8).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(1f);
        assertThat(ByteBuffer.wrap(b, (int) (8 + n + 4), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat()).isEqualTo(2f);
    }

    @Test
    void aFlippedByteFailsTheChecksum(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        byte[] b = Files.readAllBytes(f);
        b[b.length - 3] ^= 0x10;
        Files.write(f, b);
        assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void aTruncatedOrForeignFileGetsAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafeTensors.write(f, sample(), Map.of());
        byte[] b = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(b, b.length - 4));
        assertThatThrownBy(() -> SafeTensors.read(f)).hasMessageContaining("do not fit the data section");

        Path text = dir.resolve("notes.safetensors");
        Files.writeString(text, "this is not a model file at all");
        assertThatThrownBy(() -> SafeTensors.read(text)).hasMessageContaining("not a safetensors file");
    }

    @Test
    void integerVectorsRoundTripBesideFloatsWithTheWidestFirst(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mixed.safetensors");
        int[] offsets = {0, 2, 5};
        long[] times = {874_724_710L, -1L, Long.MAX_VALUE};
        String checksum = SafeTensors.write(f, sample(), Map.of("users/offsets", offsets), Map.of("users/times", times),
                Map.of());

        SafeTensors.Contents c = SafeTensors.read(f);
        assertThat(c.int32().get("users/offsets")).containsExactly(0, 2, 5);
        assertThat(c.int64().get("users/times")).containsExactly(874_724_710L, -1L, Long.MAX_VALUE);
        assertThat(c.tensors().get("dense/bias").data()).containsExactly(0.25f);
        assertThat(c.checksum()).isEqualTo(checksum);

        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        // 8-byte values first so that every tensor is aligned to its element size.
        assertThat(header).contains("\"users/times\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[0,24]}");
        assertThat(header).contains("\"users/offsets\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[52,64]}");
        assertThat(ByteBuffer.wrap(b, (int) (8 + n), 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(874_724_710L);
        assertThat(b.length).isEqualTo(8 + n + 64);
    }

    @Test
    void aNameUsedTwiceOrAnUnknownDtypeIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("w.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(f, sample(), Map.of("dense/bias", new int[] {1}), Map.of(), Map.of()))
                .hasMessageContaining("tensor name 'dense/bias' is used twice");

        SafeTensors.write(f, Map.of("x", Tensor.of(new float[] {1f, 2f}, 2)), Map.of());
        byte[] b = Files.readAllBytes(f);
        String text = new String(b, StandardCharsets.ISO_8859_1).replace("\"F32\"", "\"F16\"");
        Files.write(f, text.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("tensor 'x' has dtype 'F16'; supported are F32, I32 and I64");
    }
}
