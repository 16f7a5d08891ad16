package org.embedrec.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;

/**
 * Reads and writes float32 tensors in the safetensors layout, so that Python tools can open
 * our weights: an 8-byte little-endian header length, a JSON header mapping each name to
 * {@code {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}} (offsets relative to
 * the end of the header), then the tensors' bytes, little-endian, back to back.
 *
 * <p>We add a CRC-32C of the data section to the header's {@code __metadata__} under
 * {@code "embedrec.crc32c"}; on reading, a mismatch means the file is damaged. Writing is
 * atomic (see {@link AtomicFiles}).
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECKSUM_KEY = "embedrec.crc32c";
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private SafeTensors() {}

    /** Writes {@code tensors} in order, with {@code metadata} (string values) in the header. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        CRC32C crc = new CRC32C();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long bytes = 4L * t.size();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
            crc.update(littleEndian(t.data()));
        }
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        meta.put(CHECKSUM_KEY, Long.toHexString(crc.getValue()));
        byte[] headerBytes = paddedHeader(JSON.writeValueAsBytes(header));
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(len.array());
            out.write(headerBytes);
            for (Tensor t : tensors.values()) {
                out.write(littleEndian(t.data()).array());
            }
        });
    }

    /** The tensors and metadata read from a safetensors file. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /**
     * Reads every tensor. Fails with a message naming the file when it is not safetensors,
     * holds a dtype other than F32, has offsets that do not tile the data, or fails its checksum.
     */
    public static Contents read(Path file) throws IOException {
        String where = file.toString();
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] lenBytes = in.readNBytes(8);
            if (lenBytes.length < 8) {
                throw new ModelFileException(where + ": too short to be a safetensors file (" + size + " bytes)");
            }
            long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw new ModelFileException(where + ": not a safetensors file (header length " + headerLen
                        + " does not fit a file of " + size + " bytes)");
            }
            JsonNode header;
            try {
                header = JSON.readTree(in.readNBytes((int) headerLen));
            } catch (IOException e) {
                throw new ModelFileException(where + ": the safetensors header is not valid JSON: " + e.getMessage());
            }
            if (header == null || !header.isObject()) {
                throw new ModelFileException(where + ": the safetensors header is not a JSON object");
            }
            long dataLen = size - 8 - headerLen;
            if (dataLen > Integer.MAX_VALUE) {
                throw new ModelFileException(where + ": the data section is larger than 2 GiB, which we do not read yet");
            }
            byte[] data = in.readNBytes((int) dataLen);
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            long covered = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                Tensor t = tensor(where, e.getKey(), e.getValue(), data);
                tensors.put(e.getKey(), t);
                covered += 4L * t.size();
            }
            if (covered != dataLen) {
                throw new ModelFileException(where + ": the tensors cover " + covered + " bytes of a data section of "
                        + dataLen + " bytes; the file is damaged");
            }
            String expected = metadata.get(CHECKSUM_KEY);
            if (expected != null) {
                CRC32C crc = new CRC32C();
                crc.update(data);
                if (!Long.toHexString(crc.getValue()).equals(expected)) {
                    throw new ModelFileException(where + ": checksum mismatch (stored " + expected + ", computed "
                            + Long.toHexString(crc.getValue()) + "); the weights are damaged");
                }
            }
            metadata.remove(CHECKSUM_KEY);
            return new Contents(tensors, metadata);
        }
    }

    private static Tensor tensor(String where, String name, JsonNode entry, byte[] data) {
        String dtype = entry.path("dtype").asText("");
        if (!dtype.equals("F32")) {
            throw new ModelFileException(where + ": tensor '" + name + "' has dtype '" + dtype + "'; only F32 is supported");
        }
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new ModelFileException(where + ": tensor '" + name + "' lacks a shape or a pair of data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt(-1);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        long expected = 4L * Shape.size(shape);
        if (begin < 0 || end > data.length || end - begin != expected) {
            throw new ModelFileException(where + ": tensor '" + name + "' of shape " + Shape.toString(shape)
                    + " has data_offsets [" + begin + ", " + end + "] that do not fit the data section");
        }
        float[] values = new float[(int) (expected / 4)];
        ByteBuffer.wrap(data, (int) begin, (int) expected).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return Tensor.wrap(values, shape);
    }

    private static ByteBuffer littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b;
    }

    /** The header padded with spaces to a multiple of 8 bytes, so the data is aligned, as the format recommends. */
    private static byte[] paddedHeader(byte[] json) {
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = (byte) ' ';
        }
        return out;
    }

}
