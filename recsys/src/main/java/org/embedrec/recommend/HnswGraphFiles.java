package org.embedrec.recommend;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import org.embedrec.index.HnswGraph;
import org.embedrec.index.HnswIndex;
import org.embedrec.io.ModelFileException;
import org.embedrec.io.SafeTensors;

/**
 * The saved HNSW graph of a model directory, {@value #FILE}: each level's node ids, offsets and
 * neighbour lists ({@link HnswGraph}'s arrays, I32 {@code hnsw/level_L/nodes|offsets|neighbours}),
 * with the parameters it was built with, its entry point and the CRC-32C of the candidate
 * embeddings it was built over in the header's metadata. A load uses the graph only if it was
 * built with the settings the model is searched with and over exactly these embeddings; a graph
 * that claims those and fails the checks is damage, and is refused with its file named.
 */
final class HnswGraphFiles {
    static final String FILE = "index.safetensors";
    static final String FORMAT = "embedrec-hnsw-graph";

    private HnswGraphFiles() {}

    /** Writes {@code index}'s graph into {@code files}; returns the file's checksum. */
    static String write(Path files, HnswIndex index, float[] candidates) throws IOException {
        HnswGraph graph = index.graph();
        Map<String, int[]> int32 = new LinkedHashMap<>();
        for (int l = 0; l < graph.levels(); l++) {
            int32.put(name(l, "nodes"), graph.nodes(l));
            int32.put(name(l, "offsets"), graph.offsets(l));
            int32.put(name(l, "neighbours"), graph.neighbours(l));
        }
        HnswIndex.Settings s = index.settings();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("max_conn", Integer.toString(s.maxConn()));
        metadata.put("beam_width", Integer.toString(s.beamWidth()));
        metadata.put("seed", Long.toString(s.seed()));
        metadata.put("nodes", Integer.toString(graph.size()));
        metadata.put("dim", Integer.toString(index.dim()));
        metadata.put("levels", Integer.toString(graph.levels()));
        metadata.put("entry_point", Integer.toString(graph.entryPoint()));
        metadata.put("vectors_crc32c", vectorsChecksum(candidates));
        return SafeTensors.write(files.resolve(FILE), Map.of(), int32, Map.of(), metadata);
    }

    /**
     * The saved graph as an index over {@code candidates} searched with {@code settings}, or null
     * when the graph was built with other parameters (then the caller builds one).
     *
     * @throws ModelFileException naming the file when it is missing, damaged, not the one
     *     {@code checksum} ({@code serving.json}'s record) names, or built over other vectors
     */
    static HnswIndex read(Path files, String checksum, float[] candidates, int dim, HnswIndex.Settings settings)
            throws IOException {
        Path file = files.resolve(FILE);
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new ModelFileException(files + ": " + FILE + " is missing (" + RecommenderFiles.SERVING_JSON
                    + " lists it)");
        }
        if (!checksum.equals(contents.checksum())) {
            throw new ModelFileException(file + ": checksum " + contents.checksum() + ", "
                    + RecommenderFiles.SERVING_JSON + " was saved with " + checksum + "; files from two saves");
        }
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new ModelFileException(file + ": not an HNSW graph (format is '" + meta.get("format")
                    + "', expected '" + FORMAT + "')");
        }
        if (number(file, meta, "max_conn") != settings.maxConn() || number(file, meta, "beam_width") != settings.beamWidth()
                || number(file, meta, "seed") != settings.seed()) {
            return null;
        }
        int items = candidates.length / dim;
        if (number(file, meta, "nodes") != items || number(file, meta, "dim") != dim
                || !vectorsChecksum(candidates).equals(meta.get("vectors_crc32c"))) {
            throw new ModelFileException(file + ": a graph of " + meta.get("nodes") + " items of dimension "
                    + meta.get("dim") + " (vectors CRC-32C " + meta.get("vectors_crc32c") + "); the catalogue has "
                    + items + " of dimension " + dim + " (CRC-32C " + vectorsChecksum(candidates)
                    + "): this graph was not built over these embeddings");
        }
        long levels = number(file, meta, "levels");
        if (levels < 1 || levels > 64) {
            throw new ModelFileException(file + ": levels = " + levels + "; expected 1..64");
        }
        int[][] nodes = new int[(int) levels][];
        int[][] offsets = new int[(int) levels][];
        int[][] neighbours = new int[(int) levels][];
        for (int l = 0; l < levels; l++) {
            nodes[l] = RecommenderFiles.vector(file, contents.int32(), name(l, "nodes"));
            offsets[l] = RecommenderFiles.vector(file, contents.int32(), name(l, "offsets"));
            neighbours[l] = RecommenderFiles.vector(file, contents.int32(), name(l, "neighbours"));
        }
        try {
            HnswGraph graph = HnswGraph.of(items, (int) number(file, meta, "entry_point"), nodes, offsets, neighbours);
            return HnswIndex.of(candidates, dim, settings, graph);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file + ": damaged graph: " + RecommenderFiles.firstLine(e));
        }
    }

    private static String name(int level, String array) {
        return "hnsw/level_" + level + "/" + array;
    }

    private static long number(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelFileException(file + ": metadata " + key + " is '" + v + "'; expected an integer");
        }
    }

    /** The CRC-32C of the embeddings' little-endian float bytes, as the graph file records it. */
    static String vectorsChecksum(float[] vectors) {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < vectors.length; i += 4096) {
            b.clear();
            b.asFloatBuffer().put(vectors, i, Math.min(4096, vectors.length - i));
            b.limit(4 * Math.min(4096, vectors.length - i));
            crc.update(b);
        }
        return String.format("%08x", crc.getValue());
    }
}
