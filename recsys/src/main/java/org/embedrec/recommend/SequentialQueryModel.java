package org.embedrec.recommend;

import java.util.concurrent.atomic.AtomicReferenceArray;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.models.sequential.NextItemScorer;
import org.embedrec.models.sequential.SequenceEncoder;

/**
 * A next-item model ({@code gru4rec}, {@code sasrec}, or the {@code pop} baseline) answering from
 * a history of items: a known user's saved history (oldest first), followed by the items the
 * query gives ({@link Query#history()}), or the query's items alone for anyone else.
 *
 * <p>gru4rec and sasrec retrieve: the query embedding is the model's state after the history's
 * last {@code maxLength} items, the candidates are the rows of its item table, and their inner
 * product is exactly the logit the model's next-item softmax (and its evaluation) ranks by. pop
 * scores every item by its share of the training interactions whatever the history, which then
 * only says what the user has seen.
 */
final class SequentialQueryModel implements NoFeatureQueryModel {
    private final String name;
    private final SequenceEncoder encoder;
    private final float[] shares;
    private final float[] candidates;
    private final int[] sequenceOffsets;
    private final int[] sequenceItems;
    /**
     * Each known user's state after their saved history, computed on their first query and kept:
     * the same forward pass on the same items gives the same bits, so a kept state answers exactly
     * as a new one would, without the pass. Threads racing on a first query compute equal arrays.
     */
    private final AtomicReferenceArray<float[]> knownStates;

    /**
     * {@code scorer} (a trained encoder in inference mode, or pop), with the known users' recent
     * items in compressed rows ({@code sequenceItems[sequenceOffsets[u] .. sequenceOffsets[u + 1])},
     * oldest first) and the catalogue whose popularity pop answers with.
     */
    SequentialQueryModel(String name, NextItemScorer scorer, int[] sequenceOffsets, int[] sequenceItems,
                         Catalogue catalogue) {
        this.name = name;
        this.encoder = scorer instanceof SequenceEncoder e ? e : null;
        this.sequenceOffsets = sequenceOffsets;
        this.sequenceItems = sequenceItems;
        this.knownStates = new AtomicReferenceArray<>(Math.max(0, sequenceOffsets.length - 1));
        if (scorer.numItems() != catalogue.size()) {
            throw new IllegalArgumentException("the " + name + " model scores " + scorer.numItems()
                    + " items, the catalogue has " + catalogue.size());
        }
        if (encoder != null) {
            // A copy: the slice's own array, which no one else holds.
            this.candidates = encoder.itemEmbeddings().data();
            this.shares = null;
        } else {
            this.candidates = null;
            this.shares = new float[catalogue.size()];
            for (int i = 0; i < shares.length; i++) {
                shares[i] = catalogue.popularity(i);
            }
        }
    }

    @Override
    public String kind() {
        return "next-item";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean retrieves() {
        return encoder != null;
    }

    @Override
    public Scores.Kind scoreKind() {
        return encoder != null ? Scores.Kind.INNER_PRODUCT : Scores.Kind.POPULARITY;
    }

    @Override
    public boolean readsHistory() {
        return true;
    }

    @Override
    public int width() {
        return encoder == null ? 0 : encoder.dim();
    }

    @Override
    public float[] candidateEmbeddings() {
        return candidates;
    }

    @Override
    public int candidateWidth() {
        return width();
    }

    @Override
    public void embed(Asker asker, float[] out) {
        if (encoder == null) {
            throw new UnsupportedOperationException("pop has no query embedding");
        }
        boolean savedOnly = asker.userRow() >= 0 && asker.history().length == 0;
        float[] state = savedOnly ? knownStates.get(asker.userRow()) : null;
        if (state == null) {
            state = encoder.lastStates(new int[][] {sequence(asker)}).data();
            if (savedOnly) {
                knownStates.set(asker.userRow(), state);
            }
        }
        System.arraycopy(state, 0, out, 0, encoder.dim());
    }

    @Override
    public float[] score(Asker asker, int[] rows) {
        float[] out = new float[rows.length];
        if (encoder == null) {
            for (int i = 0; i < rows.length; i++) {
                out[i] = shares[rows[i]];
            }
            return out;
        }
        float[] q = new float[encoder.dim()];
        embed(asker, q);
        Kernels kernels = Kernels.get();
        int width = encoder.dim();
        for (int i = 0; i < rows.length; i++) {
            out[i] = kernels.dot(q, 0, candidates, rows[i] * width, width);
        }
        return out;
    }

    /**
     * The items the model reads for {@code asker}, oldest first: the tail of the user's saved
     * history and the query's own items, at most the model's {@code maxLength} (all it reads).
     */
    int[] sequence(Asker asker) {
        int user = asker.userRow();
        int from = user >= 0 ? sequenceOffsets[user] : 0;
        int to = user >= 0 ? sequenceOffsets[user + 1] : 0;
        int[] given = asker.history();
        int total = to - from + given.length;
        int n = Math.min(total, encoder.maxLength());
        int[] out = new int[n];
        int skip = total - n;
        int k = 0;
        for (int i = from + Math.min(skip, to - from); i < to; i++) {
            out[k++] = sequenceItems[i];
        }
        for (int i = Math.max(0, skip - (to - from)); i < given.length; i++) {
            out[k++] = given[i];
        }
        return out;
    }

    /** User row {@code user}'s saved items, newest first, distinct, at most {@code limit}: for {@link Recommender#recentItems}. */
    RecentItems recent(int users, int limit) {
        int[] offsets = new int[users + 1];
        int[][] kept = new int[users][];
        for (int u = 0; u < users; u++) {
            int[] buffer = new int[limit];
            int n = 0;
            for (int i = sequenceOffsets[u + 1] - 1; i >= sequenceOffsets[u] && n < limit; i--) {
                int item = sequenceItems[i];
                boolean repeat = false;
                for (int j = 0; j < n && !repeat; j++) {
                    repeat = buffer[j] == item;
                }
                if (!repeat) {
                    buffer[n++] = item;
                }
            }
            kept[u] = java.util.Arrays.copyOf(buffer, n);
            offsets[u + 1] = offsets[u] + n;
        }
        int[] items = new int[offsets[users]];
        for (int u = 0; u < users; u++) {
            System.arraycopy(kept[u], 0, items, offsets[u], kept[u].length);
        }
        return new RecentItems(offsets, items);
    }
}
