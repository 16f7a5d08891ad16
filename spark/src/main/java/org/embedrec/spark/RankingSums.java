package org.embedrec.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.embedrec.metrics.FactorizedTopK;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommender;

/**
 * One partition's share of {@link EmbedrecRetrievalModel#evaluate}: the sums, over its rows, of
 * each metric {@link FactorizedTopK#computeWithRanks} averages (hits and NDCG gains per K, the
 * reciprocal rank), then the row count and the count of rows whose item is not in the catalogue.
 * Sums add across partitions (in partition order, on the driver) and divide by the rows once:
 * the single-process means, up to the order of the float additions.
 *
 * <p>Rows are ranked a chunk at a time, so a partition of any size needs a chunk's embeddings.
 */
final class RankingSums {
    /** Rows embedded and ranked together. */
    private static final int CHUNK = 4096;

    private RankingSums() {}

    /**
     * The sums of {@code rows} (user, item, timestamp or null, then {@code queryColumns} as
     * strings) under {@code r}'s model: {@code metric}'s keys in order, then rows, then rows
     * whose item the catalogue lacks.
     */
    static double[] of(Recommender r, FactorizedTopK metric, List<String> queryColumns, Iterator<Row> rows) {
        int keys = 2 * metric.ks().length + 1;
        double[] sums = new double[keys + 2];
        float[] catalogue = null;
        int width = r.embeddingWidth();
        List<Query> queries = new ArrayList<>();
        List<Integer> items = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            sums[keys]++;
            int item = row.isNullAt(1) ? -1 : r.catalogue().row(row.getString(1));
            if (row.isNullAt(0) || item < 0) {
                // The model cannot rank an item outside its catalogue: a miss at every K.
                sums[keys + 1]++;
                continue;
            }
            Query.Builder q = Query.user(row.getString(0));
            if (!row.isNullAt(2)) {
                q.at(row.getLong(2));
            }
            for (int c = 0; c < queryColumns.size(); c++) {
                if (!row.isNullAt(3 + c)) {
                    q.feature(queryColumns.get(c), row.getString(3 + c));
                }
            }
            queries.add(q.build());
            items.add(item);
            if (queries.size() == CHUNK) {
                if (catalogue == null) {
                    catalogue = r.candidateEmbeddings();
                }
                addChunk(r, metric, queries, items, catalogue, width, sums);
            }
        }
        if (!queries.isEmpty()) {
            addChunk(r, metric, queries, items, catalogue == null ? r.candidateEmbeddings() : catalogue, width, sums);
        }
        return sums;
    }

    private static void addChunk(Recommender r, FactorizedTopK metric, List<Query> queries, List<Integer> items,
                                 float[] catalogue, int width, double[] sums) {
        int n = queries.size();
        int[] trueRows = new int[n];
        for (int i = 0; i < n; i++) {
            trueRows[i] = items.get(i);
        }
        Map<String, Double> means = metric.computeWithRanks(r.queryEmbeddings(queries), n, catalogue,
                catalogue.length / width, width, trueRows);
        int k = 0;
        for (double mean : means.values()) {
            // A mean of n rows times n is the chunk's sum (exact for the hit counts up to rounding).
            sums[k++] += mean * n;
        }
        queries.clear();
        items.clear();
    }

    static double[] add(double[] a, double[] b) {
        for (int k = 0; k < a.length; k++) {
            a[k] += b[k];
        }
        return a;
    }

    /** The means of the summed partitions, keyed as {@link FactorizedTopK#computeWithRanks}, with the row counts. */
    static Map<String, Double> means(FactorizedTopK metric, double[] sums) {
        List<String> names = new ArrayList<>();
        for (int k : metric.ks()) {
            names.add(FactorizedTopK.key(k));
        }
        for (int k : metric.ks()) {
            names.add("ndcg_at_" + k);
        }
        names.add("mrr");
        double rows = sums == null ? 0 : sums[names.size()];
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            out.put(names.get(k), rows == 0 ? Double.NaN : sums[k] / rows);
        }
        out.put("rows", rows);
        out.put("rows_item_not_in_catalogue", sums == null ? 0.0 : sums[names.size() + 1]);
        return out;
    }
}
