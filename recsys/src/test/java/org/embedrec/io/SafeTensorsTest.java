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
}
