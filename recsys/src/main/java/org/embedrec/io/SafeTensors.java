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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;

/**
 * Reads and writes tensors in the safetensors layout, so that Python tools can open our
 * weights: an 8-byte little-endian header length, a JSON header mapping each name to
 * {@code {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}} (offsets relative to
 * the end of the header), then the tensors' bytes, little-endian, back to back with no gaps.
 *
 * <p>Three dtypes: {@code F32} tensors, and {@code I32} and {@code I64} integer vectors (index
 * lists, timestamps) beside them. The {@code I64} vectors are written first, so that every
 * tensor starts at a multiple of its element size from the 8-byte aligned data section and a
 * reader can map it without copying. An integer tensor of a foreign file is read flattened,
 * row-major.
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

    /** One tensor's header entry and its little-endian bytes. */
    private record Section(String name, String dtype, int[] shape, byte[] bytes) {}

    /** Writes float {@code tensors} in order, with {@code metadata} (string values) in the header; returns the checksum. */
    public static String write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        return write(file, tensors, Map.of(), Map.of(), metadata);
    }

    /**
     * Writes float {@code tensors}, {@code int32} and {@code int64} vectors (names distinct across
     * the three), with {@code metadata} in the header. Returns the data section's CRC-32C as
     * stored in the header, so a companion file can record which weights it belongs to.
     */
    public static String write(Path file, Map<String, Tensor> tensors, Map<String, int[]> int32,
                               Map<String, long[]> int64, Map<String, String> metadata) throws IOException {
        List<Section> sections = new ArrayList<>(tensors.size() + int32.size() + int64.size());
        for (Map.Entry<String, long[]> e : int64.entrySet()) {
            long[] v = e.getValue();
            ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(v);
            sections.add(new Section(e.getKey(), "I64", new int[] {v.length}, b.array()));
        }
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] v = e.getValue().data();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            sections.add(new Section(e.getKey(), "F32", e.getValue().shape(), b.array()));
        }
        for (Map.Entry<String, int[]> e : int32.entrySet()) {
            int[] v = e.getValue();
            ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asIntBuffer().put(v);
            sections.add(new Section(e.getKey(), "I32", new int[] {v.length}, b.array()));
        }
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        CRC32C crc = new CRC32C();
        for (Section s : sections) {
            if (header.has(s.name()) || s.name().equals("__metadata__")) {
                throw new IllegalArgumentException(file + ": tensor name '" + s.name() + "' is used twice or reserved");
            }
            ObjectNode entry = header.putObject(s.name());
            entry.put("dtype", s.dtype());
            var shape = entry.putArray("shape");
            for (int d : s.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + s.bytes().length);
            offset += s.bytes().length;
            crc.update(s.bytes());
        }
        String checksum = Long.toHexString(crc.getValue());
        ObjectNode meta = header.putObject("__metadata__");
        // Sorted by key: callers pass Map.of, whose order changes from one JVM to the next, and one
        // model should be one file, byte for byte.
        new TreeMap<>(metadata).forEach(meta::put);
        meta.put(CHECKSUM_KEY, checksum);
        byte[] headerBytes = paddedHeader(JSON.writeValueAsBytes(header));
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length);
            out.write(len.array());
            out.write(headerBytes);
            for (Section s : sections) {
                out.write(s.bytes());
            }
        });
        return checksum;
    }

    /**
     * The tensors, integer vectors and metadata read from a safetensors file, each map in file
     * order; {@code checksum} is the stored CRC-32C (verified), or null when the file has none.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, int[]> int32, Map<String, long[]> int64,
                           Map<String, String> metadata, String checksum) {}

    /**
     * Reads every tensor. Fails with a message naming the file when it is not safetensors,
     * holds a dtype other than F32, I32 or I64, has offsets that do not tile the data, or fails
     * its checksum.
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
            Map<String, int[]> int32 = new LinkedHashMap<>();
            Map<String, long[]> int64 = new LinkedHashMap<>();
            long covered = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                covered += entry(where, e.getKey(), e.getValue(), data, tensors, int32, int64);
            }
            if (covered != dataLen) {
                throw new ModelFileException(where + ": the tensors cover " + covered + " bytes of a data section of "
                        + dataLen + " bytes; the file is damaged");
            }
            String expected = metadata.remove(CHECKSUM_KEY);
            if (expected != null) {
                CRC32C crc = new CRC32C();
                crc.update(data);
                if (!Long.toHexString(crc.getValue()).equals(expected)) {
                    throw new ModelFileException(where + ": checksum mismatch (stored " + expected + ", computed "
                            + Long.toHexString(crc.getValue()) + "); the weights are damaged");
                }
            }
            return new Contents(tensors, int32, int64, metadata, expected);
        }
    }

    /** Reads one header entry's bytes into the map of its dtype; returns the bytes it covers. */
    private static long entry(String where, String name, JsonNode entry, byte[] data, Map<String, Tensor> tensors,
                              Map<String, int[]> int32, Map<String, long[]> int64) {
        String dtype = entry.path("dtype").asText("");
        int width = switch (dtype) {
            case "F32", "I32" -> 4;
            case "I64" -> 8;
            default -> throw new ModelFileException(where + ": tensor '" + name + "' has dtype '" + dtype
                    + "'; supported are F32, I32 and I64");
        };
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new ModelFileException(where + ": tensor '" + name + "' lacks a shape or a pair of data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt(-1);
            if (shape[i] < 0) {
                throw new ModelFileException(where + ": tensor '" + name + "' has a negative or non-integer dimension "
                        + shapeNode.get(i) + " at position " + i);
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        // The element count in a long, capped at the data section, so a shape claiming more
        // than the file holds (or more than a long counts) is refused rather than allocated.
        long elements = 1;
        for (int d : shape) {
            elements = elements == 0 || d <= data.length / (width * elements) ? elements * d : data.length + 1L;
        }
        long expected = width * elements;
        if (begin < 0 || end > data.length || end - begin != expected) {
            throw new ModelFileException(where + ": tensor '" + name + "' of shape " + Shape.toString(shape)
                    + " and dtype " + dtype + " has data_offsets [" + begin + ", " + end
                    + "] that do not fit the data section");
        }
        ByteBuffer bytes = ByteBuffer.wrap(data, (int) begin, (int) expected).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) (expected / width);
        switch (dtype) {
            case "F32" -> {
                float[] values = new float[n];
                bytes.asFloatBuffer().get(values);
                tensors.put(name, Tensor.wrap(values, shape));
            }
            case "I32" -> {
                int[] values = new int[n];
                bytes.asIntBuffer().get(values);
                int32.put(name, values);
            }
            default -> {
                long[] values = new long[n];
                bytes.asLongBuffer().get(values);
                int64.put(name, values);
            }
        }
        return expected;
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
