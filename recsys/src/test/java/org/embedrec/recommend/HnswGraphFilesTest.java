package org.embedrec.recommend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.data.synthetic.SyntheticShop;
import org.embedrec.index.HnswGraph;
import org.embedrec.index.HnswIndex;
import org.embedrec.io.AtomicFiles;
import org.embedrec.io.ModelFileException;
import org.embedrec.io.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HNSW graph saved with a model: read back as saved rather than built again, refused when it
 * does not belong to the catalogue, and built (the same graph) for a directory saved before
 * graphs were.
 */
class HnswGraphFilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** efSearch below the catalogue's size, so that searches walk the graph rather than scan. */
    private static final IndexSettings HNSW = new IndexSettings(IndexSettings.Kind.HNSW,
            new HnswIndex.Settings(4, 16, 5, 42));
    private static Recommender hnsw;

    @BeforeAll
    static void train(@TempDir Path dir) {
        ShopRecommender shop = ShopRecommender.train(dir.resolve("data"), ShopRecommender.SPEC,
                SyntheticShop.Config.small(7), 42);
        hnsw = shop.recommender().withIndex(HNSW);
    }

    private static HnswGraph graph(Recommender r) {
        return ((HnswIndex) r.index()).graph();
    }

    /** The saved files of one version copied into a directory of their own (no manifest), to edit. */
    private static Path flatCopy(Path model, Path to) throws Exception {
        Path version = AtomicFiles.currentVersion(model);
        Files.createDirectories(to);
        try (var files = Files.list(version)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(AtomicFiles.MANIFEST)) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    private static void editServing(Path dir, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path file = dir.resolve(RecommenderFiles.SERVING_JSON);
        ObjectNode serving = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(serving);
        Files.writeString(file, JSON.writeValueAsString(serving));
    }

    /** Rewrites the graph file with {@code graph}'s arrays and the same header, and records its checksum. */
    private static void replaceGraph(Path dir, HnswGraph graph) throws Exception {
        Path file = dir.resolve(HnswGraphFiles.FILE);
        Map<String, String> metadata = new LinkedHashMap<>(SafeTensors.read(file).metadata());
        metadata.put("entry_point", Integer.toString(graph.entryPoint()));
        metadata.put("levels", Integer.toString(graph.levels()));
        Map<String, int[]> int32 = new LinkedHashMap<>();
        for (int l = 0; l < graph.levels(); l++) {
            int32.put("hnsw/level_" + l + "/nodes", graph.nodes(l));
            int32.put("hnsw/level_" + l + "/offsets", graph.offsets(l));
            int32.put("hnsw/level_" + l + "/neighbours", graph.neighbours(l));
        }
        String crc = SafeTensors.write(file, Map.of(), int32, Map.of(), metadata);
        editServing(dir, s -> ((ObjectNode) s.get("index_file")).put("crc32c", crc));
    }

    @Test
    void theGraphIsSavedAndReadBackAsSavedNotBuiltAgain(@TempDir Path tmp) throws Exception {
        hnsw.save(tmp.resolve("model"));
        assertThat(AtomicFiles.currentVersion(tmp.resolve("model")).resolve(HnswGraphFiles.FILE)).isRegularFile();
        Recommender back = Recommender.load(tmp.resolve("model"));
        assertThat(graph(back)).isEqualTo(graph(hnsw));

        // A valid graph other than the one the build gives (every node's last level-0 link dropped):
        // a load that built the graph would not see it.
        HnswGraph built = graph(hnsw);
        int n = built.size();
        int[] offsets = new int[n + 1];
        int[] neighbours = new int[built.neighbours(0).length];
        int k = 0;
        for (int node = 0; node < n; node++) {
            int[] list = built.neighbours(0, node);
            int keep = Math.max(1, list.length - 1);
            System.arraycopy(list, 0, neighbours, k, keep);
            k += keep;
            offsets[node + 1] = k;
        }
        int[][] nodes = new int[built.levels()][];
        int[][] offs = new int[built.levels()][];
        int[][] lists = new int[built.levels()][];
        for (int l = 0; l < built.levels(); l++) {
            nodes[l] = built.nodes(l);
            offs[l] = l == 0 ? offsets : built.offsets(l);
            lists[l] = l == 0 ? java.util.Arrays.copyOf(neighbours, k) : built.neighbours(l);
        }
        HnswGraph thinned = HnswGraph.of(n, built.entryPoint(), nodes, offs, lists);
        assertThat(thinned).isNotEqualTo(built);
        Path edited = flatCopy(tmp.resolve("model"), tmp.resolve("edited"));
        replaceGraph(edited, thinned);
        assertThat(graph(Recommender.load(edited))).isEqualTo(thinned);
        // Another efSearch reads the same graph; other build parameters build another.
        IndexSettings wider = new IndexSettings(IndexSettings.Kind.HNSW, HNSW.hnsw().withEfSearch(9));
        assertThat(graph(Recommender.load(edited, wider))).isEqualTo(thinned);
        IndexSettings denser = new IndexSettings(IndexSettings.Kind.HNSW, new HnswIndex.Settings(6, 16, 5, 42));
        assertThat(graph(Recommender.load(edited, denser))).isNotEqualTo(thinned).isNotEqualTo(built);
    }

    @Test
    void aDirectorySavedBeforeGraphsWereBuildsTheSameGraph(@TempDir Path tmp) throws Exception {
        hnsw.save(tmp.resolve("model"));
        Path old = flatCopy(tmp.resolve("model"), tmp.resolve("old"));
        Files.delete(old.resolve(HnswGraphFiles.FILE));
        editServing(old, s -> {
            s.remove("index_file");
            s.put("format_version", 1);
        });
        Recommender back = Recommender.load(old);
        assertThat(graph(back)).isEqualTo(graph(hnsw));
        for (Query q : java.util.List.of(Query.user("u1").k(5).build(), Query.user("u2").excludeSeen(true).build())) {
            assertThat(back.recommend(q)).isEqualTo(hnsw.recommend(q));
        }
    }

    @Test
    void aGraphOfAnotherCatalogueOrADamagedOneIsRefusedWithTheFileNamed(@TempDir Path tmp) throws Exception {
        hnsw.save(tmp.resolve("model"));
        // Another model's graph, its checksum recorded as if saved together: built over other vectors.
        Recommender other = ShopRecommender.train(tmp.resolve("data2"), ShopRecommender.SPEC,
                SyntheticShop.Config.small(7), 43).recommender().withIndex(HNSW);
        other.save(tmp.resolve("other"));
        Path mixed = flatCopy(tmp.resolve("model"), tmp.resolve("mixed"));
        Files.copy(AtomicFiles.currentVersion(tmp.resolve("other")).resolve(HnswGraphFiles.FILE),
                mixed.resolve(HnswGraphFiles.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String crc = SafeTensors.read(mixed.resolve(HnswGraphFiles.FILE)).checksum();
        assertThatThrownBy(() -> Recommender.load(mixed)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(HnswGraphFiles.FILE + ": checksum " + crc)
                .hasMessageContaining("files from two saves");
        editServing(mixed, s -> ((ObjectNode) s.get("index_file")).put("crc32c", crc));
        assertThatThrownBy(() -> Recommender.load(mixed)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining(HnswGraphFiles.FILE)
                .hasMessageContaining("this graph was not built over these embeddings");

        // A neighbour that is not a node.
        Path damaged = flatCopy(tmp.resolve("model"), tmp.resolve("damaged"));
        HnswGraph g = graph(hnsw);
        int[][] lists = new int[g.levels()][];
        int[][] nodes = new int[g.levels()][];
        int[][] offsets = new int[g.levels()][];
        for (int l = 0; l < g.levels(); l++) {
            nodes[l] = g.nodes(l);
            offsets[l] = g.offsets(l);
            lists[l] = g.neighbours(l).clone();
        }
        lists[0][0] = g.size() + 5;
        Path file = damaged.resolve(HnswGraphFiles.FILE);
        Map<String, int[]> int32 = new LinkedHashMap<>();
        for (int l = 0; l < g.levels(); l++) {
            int32.put("hnsw/level_" + l + "/nodes", nodes[l]);
            int32.put("hnsw/level_" + l + "/offsets", offsets[l]);
            int32.put("hnsw/level_" + l + "/neighbours", lists[l]);
        }
        String damagedCrc = SafeTensors.write(file, Map.of(), int32, Map.of(), SafeTensors.read(file).metadata());
        editServing(damaged, s -> ((ObjectNode) s.get("index_file")).put("crc32c", damagedCrc));
        assertThatThrownBy(() -> Recommender.load(damaged)).isInstanceOf(ModelFileException.class)
                .hasMessage(file + ": damaged graph: HNSW graph level 0: neighbour 0 of node 0 is " + (g.size() + 5)
                        + "; expected another node of this level");
    }
}
