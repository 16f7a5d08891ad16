package org.embedrec.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.embedrec.index.HnswIndex;
import org.embedrec.recommend.IndexSettings;
import org.embedrec.recommend.Recommender;

/**
 * Saves a model directory again with another index: loads it searching as the options say
 * (building the HNSW graph) and saves it, graph included, to {@code --out}. For trying graph
 * parameters on one trained catalogue without training it again.
 *
 * <pre>
 * java -Xmx8g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.embedrec.bench.ReindexModel \
 *     --model-dir /tmp/serve-1m --out /tmp/serve-1m-m32 --max-conn 32 --beam-width 100 --ef-search 150
 * </pre>
 */
public final class ReindexModel {
    public static void main(String[] args) throws Exception {
        Path in = null;
        Path out = null;
        HnswIndex.Settings hnsw = HnswIndex.Settings.DEFAULT;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--model-dir" -> in = Path.of(v);
                case "--out" -> out = Path.of(v);
                case "--max-conn" -> hnsw = new HnswIndex.Settings(Integer.parseInt(v), hnsw.beamWidth(), hnsw.efSearch(),
                        hnsw.seed());
                case "--beam-width" -> hnsw = new HnswIndex.Settings(hnsw.maxConn(), Integer.parseInt(v), hnsw.efSearch(),
                        hnsw.seed());
                case "--ef-search" -> hnsw = hnsw.withEfSearch(Integer.parseInt(v));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (in == null || out == null) {
            throw new IllegalArgumentException("--model-dir DIR and --out DIR are required");
        }
        long t0 = System.nanoTime();
        Recommender r = Recommender.load(in, new IndexSettings(IndexSettings.Kind.HNSW, hnsw));
        System.out.printf(Locale.ROOT, "loaded and built %s in %.1f s%n", r.indexSettings().describe(),
                (System.nanoTime() - t0) / 1e9);
        long t1 = System.nanoTime();
        r.save(out);
        System.out.printf(Locale.ROOT, "saved to %s in %.1f s%n", out, (System.nanoTime() - t1) / 1e9);
    }
}
