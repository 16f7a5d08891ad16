package org.embedrec.models.retrieval;

import java.util.Objects;
import org.embedrec.data.Interactions;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.QueryFeatures;
import org.embedrec.features.QueryInputs;
import org.embedrec.nn.train.Dataset;

/**
 * (query, candidate) pairs for retrieval, held column by column after preprocessing: per pair
 * the user's lookup id, the timestamp's bucket and normalised value, and the catalogue row of
 * the item. Candidate features are not copied per pair: a batch reads them from the
 * {@link CandidateCatalogue}'s encoded rows. Preprocessing runs once, here, so batching is only
 * array copies.
 */
public final class RetrievalExamples implements Dataset<RetrievalBatch> {
    private final CandidateCatalogue catalogue;
    private final int[] users;
    private final int[] timeBuckets;
    private final float[] normalizedTimes;
    private final int[] items;

    private RetrievalExamples(CandidateCatalogue catalogue, int[] users, int[] timeBuckets, float[] normalizedTimes,
                              int[] items) {
        this.catalogue = catalogue;
        this.users = users;
        this.timeBuckets = timeBuckets;
        this.normalizedTimes = normalizedTimes;
        this.items = items;
    }

    /**
     * The pairs (user, timestamp; item) of {@code rows}, queries encoded by {@code queryFeatures};
     * dense item {@code i} of {@code rows} must be row {@code i} of {@code catalogue}.
     */
    public static RetrievalExamples of(Interactions rows, QueryFeatures queryFeatures, CandidateCatalogue catalogue) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(queryFeatures, "queryFeatures");
        Objects.requireNonNull(catalogue, "catalogue");
        if (rows.numItems() != catalogue.size()) {
            throw new IllegalArgumentException("the interactions have " + rows.numItems()
                    + " items but the catalogue has " + catalogue.size() + "; expected the same item id mapping");
        }
        // One lookup per distinct user rather than per row.
        String[] rawUsers = rows.users().rawIds().toArray(new String[0]);
        int[] userIdOf = queryFeatures.users().lookup(rawUsers);
        int n = rows.size();
        int[] users = new int[n];
        for (int i = 0; i < n; i++) {
            users[i] = userIdOf[rows.user(i)];
        }
        long[] timestamps = rows.timestamps();
        int[] buckets = queryFeatures.timestampBuckets().bucket(timestamps);
        float[] times = queryFeatures.timestampNormalization().transform(timestamps);
        return new RetrievalExamples(catalogue, users, buckets, times, rows.itemIds());
    }

    @Override
    public int size() {
        return items.length;
    }

    public CandidateCatalogue catalogue() {
        return catalogue;
    }

    /** The catalogue row of pair {@code i}'s item. */
    public int item(int i) {
        return items[i];
    }

    /** How many pairs each catalogue row is the candidate of. */
    public int[] itemCounts() {
        int[] counts = new int[catalogue.size()];
        for (int item : items) {
            counts[item]++;
        }
        return counts;
    }

    @Override
    public RetrievalBatch batch(int[] indices, int from, int to) {
        Objects.checkFromToIndex(from, to, indices.length);
        int n = to - from;
        int[] u = new int[n];
        int[] b = new int[n];
        float[] t = new float[n];
        int[] it = new int[n];
        for (int k = 0; k < n; k++) {
            int i = indices[from + k];
            u[k] = users[i];
            b[k] = timeBuckets[i];
            t[k] = normalizedTimes[i];
            it[k] = items[i];
        }
        CandidateInputs candidates = catalogue.inputs().rows(it, 0, n);
        return new RetrievalBatch(new QueryInputs(u, b, t), candidates, it);
    }
}
