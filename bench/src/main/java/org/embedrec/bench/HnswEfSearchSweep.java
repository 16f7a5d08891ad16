package org.embedrec.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.embedrec.index.HnswIndex;
import org.embedrec.recommend.IndexSettings;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;

/**
 * Recall@10 against exact search and in-process latency of a saved HNSW model directory at several
 * {@code efSearch} values, on one built graph ({@link Recommender#withIndex} shares it when only
 * efSearch changes): which efSearch a catalogue needs before serving it.
 *
 * <pre>
 * java -Xmx8g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.embedrec.bench.HnswEfSearchSweep \
 *     /tmp/serve-1m 1000 150,300,600,1200
 * </pre>
 */
public final class HnswEfSearchSweep {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int queries = Integer.parseInt(args[1]);
        long t0 = System.nanoTime();
        Recommender hnsw = Recommender.load(dir);
        System.out.printf(Locale.ROOT, "loaded with %s in %.1f s%n", hnsw.indexSettings().describe(),
                (System.nanoTime() - t0) / 1e9);
        Recommender exact = hnsw.withIndex(IndexSettings.EXACT);
        List<String> users = hnsw.userIds();
        int n = Math.min(queries, users.size());
        List<Query> asked = new ArrayList<>();
        List<Set<String>> truth = new ArrayList<>();
        for (int q = 0; q < n; q++) {
            Query query = Query.user(users.get((int) ((long) q * users.size() / n))).k(10).excludeSeen(true).build();
            asked.add(query);
            Set<String> ids = new HashSet<>();
            for (RecommendedItem item : exact.recommend(query).items()) {
                ids.add(item.itemId());
            }
            truth.add(ids);
        }
        HnswIndex.Settings saved = hnsw.indexSettings().hnsw();
        for (String ef : args[2].split(",")) {
            Recommender r = hnsw.withIndex(new IndexSettings(IndexSettings.Kind.HNSW,
                    saved.withEfSearch(Integer.parseInt(ef))));
            for (Query q : asked) {
                r.recommend(q); // warm-up
            }
            long[] nanos = new long[n];
            double recall = 0;
            for (int q = 0; q < n; q++) {
                long start = System.nanoTime();
                List<RecommendedItem> items = r.recommend(asked.get(q)).items();
                nanos[q] = System.nanoTime() - start;
                int hits = 0;
                for (RecommendedItem item : items) {
                    hits += truth.get(q).contains(item.itemId()) ? 1 : 0;
                }
                recall += truth.get(q).isEmpty() ? 1 : (double) hits / truth.get(q).size();
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "efSearch %s: recall@10 %.4f, p50 %.0f us, p99 %.0f us (%d queries)%n", ef,
                    recall / n, nanos[n / 2] / 1e3, nanos[(int) (n * 0.99)] / 1e3, n);
        }
    }
}
