package org.embedrec.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.embedrec.index.BruteForceIndex;
import org.embedrec.index.HnswIndex;
import org.embedrec.index.TopKIndex.ScoredItem;
import org.embedrec.io.SafeTensors;

/**
 * Build time, recall@10 against exact search and single-query latency of {@link HnswIndex} at
 * several {@code efSearch} values, on a saved model's candidate embeddings (the first
 * {@code items} rows; the queries are other catalogue rows) or on random Gaussian vectors: a
 * quick way to compare graph settings without a served model.
 *
 * <pre>
 * java -Xmx8g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.embedrec.bench.HnswBuildCheck \
 *     MODEL_DIR|random ITEMS QUERIES M EF_CONSTRUCTION EF1,EF2,... [THREADS]
 * </pre>
 */
public final class HnswBuildCheck {
    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        int m = Integer.parseInt(args[3]);
        int efConstruction = Integer.parseInt(args[4]);
        if (args.length > 6) {
            org.embedrec.engine.Parallel.setThreads(Integer.parseInt(args[6]));
        }
        float[] all;
        int dim;
        if (args[0].equals("random")) {
            dim = 32;
            all = new float[(items + queries) * dim];
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < all.length; i++) {
                all[i] = (float) nextGaussian(random);
            }
        } else {
            Path dir = Path.of(args[0]);
            Path files = org.embedrec.io.AtomicFiles.currentVersion(dir);
            var t = SafeTensors.read(files.resolve("serving.safetensors")).tensors().get("catalogue/candidate_embeddings");
            dim = t.dim(1);
            all = t.data();
        }
        float[] vectors = Arrays.copyOf(all, items * dim);
        int stride = Math.max(1, (all.length / dim - items) / queries);
        float[][] asked = new float[queries][];
        for (int q = 0; q < queries; q++) {
            int row = all.length / dim > items + q ? items + q * stride : q;
            asked[q] = Arrays.copyOfRange(all, row * dim, (row + 1) * dim);
        }
        BruteForceIndex exact = new BruteForceIndex(vectors, dim);
        List<List<ScoredItem>> truth = new java.util.ArrayList<>();
        for (float[] q : asked) {
            truth.add(exact.search(q, 10, null));
        }
        long t0 = System.nanoTime();
        HnswIndex index = HnswIndex.build(vectors, dim, new HnswIndex.Settings(m, efConstruction, 10, 42));
        System.out.printf(Locale.ROOT, "%,d x %d, M %d, efConstruction %d: built in %.1f s on %d threads, graph %.1f MB%n",
                items, dim, m, efConstruction, (System.nanoTime() - t0) / 1e9,
                org.embedrec.engine.Parallel.threads(), index.graphBytes() / 1e6);
        for (String ef : args[5].split(",")) {
            HnswIndex at = index.withSettings(index.settings().withEfSearch(Integer.parseInt(ef)));
            for (float[] q : asked) {
                at.search(q, 10, null);
            }
            long[] nanos = new long[queries];
            double recall = 0;
            for (int q = 0; q < queries; q++) {
                long start = System.nanoTime();
                List<ScoredItem> found = at.search(asked[q], 10, null);
                nanos[q] = System.nanoTime() - start;
                Set<Integer> ids = new HashSet<>();
                truth.get(q).forEach(s -> ids.add(s.id()));
                recall += found.stream().filter(s -> ids.contains(s.id())).count() / 10.0;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "efSearch %s: recall@10 %.4f, p50 %.0f us, p99 %.0f us%n", ef,
                    recall / queries, nanos[queries / 2] / 1e3, nanos[(int) (queries * 0.99)] / 1e3);
        }
    }

    private static double nextGaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
