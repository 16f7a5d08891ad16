package org.embedrec.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.embedrec.data.IdMapping;
import org.embedrec.index.BruteForceIndex;
import org.embedrec.index.HnswIndex;
import org.embedrec.index.TopKIndex;
import org.embedrec.models.retrieval.CandidateCatalogue;
import org.embedrec.models.retrieval.TwoTowerModel;

/**
 * Top-K recommendation from a trained {@link TwoTowerModel}: a user's query embedding
 * {@code q = QueryTower(user, t)} against the candidate embeddings {@code c_i} of the whole
 * catalogue, the K items of largest {@code q . c_i} (the score the model was trained to rank
 * by), optionally leaving out what the user interacted with in training ({@link UserHistory}).
 * The catalogue is embedded once, here or when the model was saved, and searched through a
 * {@link TopKIndex}: exact ({@link IndexKind#BRUTE_FORCE}) or approximate ({@link IndexKind#HNSW},
 * through {@link HnswIndex}).
 *
 * <p>Item-to-item similarity ({@link #similarTo}) is the cosine of two candidate embeddings:
 * raw inner products would favour the items of largest norm over the item's own neighbours.
 *
 * <p>A user without training interactions has no trained embedding (its lookup falls on the
 * out-of-vocabulary row, which training never updates), so {@link #recommend} refuses one
 * rather than return recommendations that look meaningful and are not. Indexes are built on
 * first use; instances are safe for concurrent searches.
 */
public final class TwoTowerRecommender {
    /** How the catalogue is searched. */
    public enum IndexKind { BRUTE_FORCE, HNSW }

    /** A recommended item: its catalogue row, raw id, title and score. */
    public record Recommendation(int row, String itemId, String title, float score) {}

    private final TwoTowerModel model;
    private final CandidateCatalogue catalogue;
    private final float[] candidateEmbeddings;
    private final UserHistory history;
    private final IndexKind indexKind;
    private final IdMapping itemIds;
    private TopKIndex queryIndex;
    private TopKIndex similarityIndex;
    private float[] unitEmbeddings;

    private TwoTowerRecommender(TwoTowerModel model, CandidateCatalogue catalogue, float[] candidateEmbeddings,
                                UserHistory history, IndexKind indexKind) {
        this.model = model;
        this.catalogue = catalogue;
        this.candidateEmbeddings = candidateEmbeddings;
        this.history = history;
        this.indexKind = indexKind;
        this.itemIds = IdMapping.of(catalogue.itemIds());
    }

    /** Embeds every catalogue item with {@code model} (inference mode) and searches them exactly. */
    public static TwoTowerRecommender build(TwoTowerModel model, CandidateCatalogue catalogue, UserHistory history) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(catalogue, "catalogue");
        return of(model, catalogue, model.embedCatalogue(catalogue), history);
    }

    /**
     * A recommender over catalogue embeddings computed before, row-major {@code [catalogue size,
     * model.embeddingWidth()]}, searched exactly.
     */
    public static TwoTowerRecommender of(TwoTowerModel model, CandidateCatalogue catalogue, float[] candidateEmbeddings,
                                         UserHistory history) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(history, "history");
        long expected = (long) catalogue.size() * model.embeddingWidth();
        if (candidateEmbeddings.length != expected) {
            throw new IllegalArgumentException("candidate embeddings: " + candidateEmbeddings.length + " values; expected "
                    + catalogue.size() + " items x " + model.embeddingWidth() + " = " + expected);
        }
        if (history.catalogueSize() != catalogue.size()) {
            throw new IllegalArgumentException("the user history indexes a catalogue of " + history.catalogueSize()
                    + " items, the catalogue has " + catalogue.size());
        }
        return new TwoTowerRecommender(model, catalogue, candidateEmbeddings.clone(), history, IndexKind.BRUTE_FORCE);
    }

    /** This recommender searching through another kind of index (sharing model, catalogue and embeddings). */
    public TwoTowerRecommender withIndex(IndexKind kind) {
        Objects.requireNonNull(kind, "kind");
        return kind == indexKind ? this : new TwoTowerRecommender(model, catalogue, candidateEmbeddings, history, kind);
    }

    public TwoTowerModel model() {
        return model;
    }

    public CandidateCatalogue catalogue() {
        return catalogue;
    }

    public UserHistory history() {
        return history;
    }

    public IndexKind indexKind() {
        return indexKind;
    }

    /** The catalogue's candidate embeddings, row-major {@code [size, width]}, in a new array. */
    public float[] candidateEmbeddings() {
        return candidateEmbeddings.clone();
    }

    /** {@link #recommend(String, long, int, boolean)} at the time of the user's latest training interaction. */
    public List<Recommendation> recommend(String userId, int k, boolean excludeSeen) {
        return recommend(userId, history.latestTimestamp(userRow(userId)), k, excludeSeen);
    }

    /**
     * The {@code k} items of largest score for {@code userId}'s query at {@code timestamp}, best
     * first; with {@code excludeSeen}, none the user interacted with in training (so fewer than
     * {@code k} when the user has seen nearly all of the catalogue).
     *
     * @throws IllegalArgumentException if {@code k < 1} or the user has no training interaction
     */
    public List<Recommendation> recommend(String userId, long timestamp, int k, boolean excludeSeen) {
        requirePositive(k);
        int user = userRow(userId);
        float[] query = model.queryEmbedding(userId, timestamp);
        IntPredicate seen = excludeSeen ? item -> history.hasSeen(user, item) : null;
        return described(queryIndex().search(query, k, seen));
    }

    /**
     * The {@code k} items whose candidate embeddings have the largest cosine with catalogue row
     * {@code row}'s, best first, the item itself left out.
     */
    public List<Recommendation> similarTo(int row, int k) {
        requirePositive(k);
        Objects.checkIndex(row, catalogue.size());
        int width = model.embeddingWidth();
        float[] units = unitEmbeddings();
        float[] query = Arrays.copyOfRange(units, row * width, (row + 1) * width);
        return described(similarityIndex().search(query, k, item -> item == row));
    }

    /**
     * The catalogue row of an item given by its raw id or, failing that, by its title
     * (ignoring case) when exactly one item has it.
     *
     * @throws IllegalArgumentException if no item has that id or title, or several have that title
     */
    public int itemRow(String idOrTitle) {
        Objects.requireNonNull(idOrTitle, "idOrTitle");
        int byId = itemIds.denseId(idOrTitle);
        if (byId >= 0) {
            return byId;
        }
        List<Integer> exact = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        String wanted = idOrTitle.toLowerCase(Locale.ROOT);
        for (int i = 0; i < catalogue.size(); i++) {
            String title = catalogue.title(i).toLowerCase(Locale.ROOT);
            if (title.equals(wanted)) {
                exact.add(i);
            } else if (partial.size() < 3 && !wanted.isEmpty() && title.contains(wanted)) {
                partial.add(catalogue.itemId(i) + " '" + catalogue.title(i) + "'");
            }
        }
        if (exact.size() == 1) {
            return exact.get(0);
        }
        if (exact.size() > 1) {
            List<String> ids = new ArrayList<>();
            for (int i : exact) {
                ids.add(catalogue.itemId(i));
            }
            throw new IllegalArgumentException("item '" + idOrTitle + "': " + exact.size() + " items have this title "
                    + "(ids " + String.join(", ", ids) + "); give the item id");
        }
        throw new IllegalArgumentException("item '" + idOrTitle + "': no item has this id or title"
                + (partial.isEmpty() ? "" : "; titles containing it: " + String.join(", ", partial)));
    }

    /** The history row of a user, or a clear error when the model has no trained embedding for them. */
    private int userRow(String userId) {
        int user = history.row(Objects.requireNonNull(userId, "userId"));
        if (user < 0) {
            List<String> ids = history.userIds();
            String examples = String.join(", ", ids.subList(0, Math.min(3, ids.size())));
            throw new IllegalArgumentException("user '" + userId + "' has no interactions in the training data, so the "
                    + "model has no trained embedding for them (" + ids.size() + " users have one, e.g. " + examples + ")");
        }
        return user;
    }

    private static void requirePositive(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    private List<Recommendation> described(List<TopKIndex.ScoredItem> found) {
        List<Recommendation> out = new ArrayList<>(found.size());
        for (TopKIndex.ScoredItem s : found) {
            out.add(new Recommendation(s.id(), catalogue.itemId(s.id()), catalogue.title(s.id()), s.score()));
        }
        return out;
    }

    private synchronized TopKIndex queryIndex() {
        if (queryIndex == null) {
            queryIndex = index(candidateEmbeddings);
        }
        return queryIndex;
    }

    private synchronized TopKIndex similarityIndex() {
        if (similarityIndex == null) {
            similarityIndex = index(unitEmbeddings());
        }
        return similarityIndex;
    }

    /** The candidate embeddings scaled to unit length (a zero vector stays zero), so inner products are cosines. */
    private synchronized float[] unitEmbeddings() {
        if (unitEmbeddings == null) {
            int width = model.embeddingWidth();
            float[] units = candidateEmbeddings.clone();
            for (int from = 0; from < units.length; from += width) {
                double sum = 0;
                for (int d = from; d < from + width; d++) {
                    sum += (double) units[d] * units[d];
                }
                if (sum > 0) {
                    float scale = (float) (1 / Math.sqrt(sum));
                    for (int d = from; d < from + width; d++) {
                        units[d] *= scale;
                    }
                }
            }
            unitEmbeddings = units;
        }
        return unitEmbeddings;
    }

    /** An index of the kind asked for. */
    private TopKIndex index(float[] vectors) {
        int width = model.embeddingWidth();
        return indexKind == IndexKind.HNSW ? HnswIndex.build(vectors, width) : new BruteForceIndex(vectors, width);
    }
}
