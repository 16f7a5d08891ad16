package org.embedrec.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.embedrec.data.AttributeTable;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.features.FeatureEncoder;
import org.embedrec.features.FeatureSource;
import org.embedrec.index.HnswIndex;
import org.embedrec.index.TopKIndex;
import org.embedrec.models.FeatureModel;
import org.embedrec.tasks.LabelRange;

/**
 * A trained model answering queries, embeddable in any JVM service: {@link #load} a saved model
 * directory, then {@link #recommend} items for a user or a row of features, find the items
 * {@link #similar} to an item, or {@link #score} given items. The {@code embedrec} command and
 * server answer through this class and add nothing to its logic.
 *
 * <p>What it answers from, all read from the directory (see {@link #save}): the model and its
 * preprocessing; the catalogue ({@link Catalogue}: item ids, attributes, training popularity)
 * and its candidate embeddings, searched through a {@link TopKIndex} ({@link IndexSettings},
 * rebuilt on load; the one {@link #similar} searches, of unit-length embeddings, on its first
 * use); and what each training user did (items seen, latest features and time).
 *
 * <p>How a {@link Query} is answered: a known user by their query embedding (at their latest
 * training features and time, or with those the query gives in their place); anyone else by the
 * query tower over the features given; when there are none, by the most popular training items
 * ({@link Recommendations.Source#POPULARITY}). A next-item model answers a known user from
 * their saved history, extended by the query's {@link Query#history()}, and anyone else from the
 * query's history alone ({@link Recommendations.Source#HISTORY}; popularity when it holds no
 * item the catalogue knows). A retrieval model ranks by the inner product of
 * query and candidate embeddings over the whole catalogue (or over the query's allow-list alone);
 * a ranking model without retrieval ranks every remaining item by its rating head. Ties go to
 * the earlier catalogue row, so an answer is a function of the query alone. A rating is given
 * out clipped to the training labels' range ({@link ModelInfo#scoreRange()}), as the metrics
 * score it; the ranking is by the unclipped prediction, so items clipped to the same rating
 * keep the model's order (then the earlier row first) rather than falling back to row order.
 *
 * <p>Errors: a bad query is an {@link IllegalArgumentException} whose message names the field
 * ({@code k}, {@code features['colour']}, {@code filter.attributeEquals}, {@code itemIds[3]}), never
 * a partial answer. {@code k} above {@link Query#MAX_K} is refused; up to it, an answer has
 * fewer items when fewer are left. A question the model cannot answer at all (a rating preset
 * asked for similar items) is an {@link UnsupportedOperationException}; {@link #info()} says
 * beforehand what it answers.
 *
 * <p>Thread safety: a recommender is immutable once made (but for the similarity index, built
 * once under a lock), and every method may be called from any number of threads at once;
 * answers do not depend on the threads (the kernels and indexes it uses compute the same bits on
 * any thread count). {@link #recommendAll} answers a batch in
 * parallel on embedrec's pool, each query exactly as {@link #recommend} would. A known user's
 * query costs an index search and the answer's objects: their embedding is computed when the
 * recommender is made, and the query vector is a per-thread buffer.
 */
public final class Recommender {
    private final QueryModel model;
    private final Catalogue catalogue;
    private final UserHistory history;
    private final RecentItems recent;
    private final long defaultTime;
    private final IndexSettings indexSettings;
    private final long version;
    private final JsonNode provenance;
    private final TopKIndex index;
    private final float[] unitEmbeddings;
    /** Built on the first {@link #similar}: most services never ask, and an HNSW graph of many items takes long. */
    private volatile TopKIndex similarityIndex;
    private final ThreadLocal<float[]> queryBuffer;
    /** Each thread's buffers for the rows and scores an index search finds, so it allocates nothing. */
    private final ThreadLocal<SearchBuffers> searchBuffers = ThreadLocal.withInitial(SearchBuffers::new);
    private final AnswerItems answers;

    /**
     * A recommender of {@code model} over {@code catalogue}: {@code history} is the known users
     * (its item rows index the catalogue), {@code recent} their latest items (null when not
     * saved), {@code defaultTime} the time of a query by anyone else. Builds the indexes.
     */
    Recommender(QueryModel model, Catalogue catalogue, UserHistory history, RecentItems recent, long defaultTime,
                IndexSettings indexSettings, long version, JsonNode provenance) {
        this(model, catalogue, history, recent, defaultTime, indexSettings, version, provenance, null);
    }

    /** As above, searching {@code prebuilt} (an index of {@code indexSettings} over the same candidates) when not null. */
    Recommender(QueryModel model, Catalogue catalogue, UserHistory history, RecentItems recent, long defaultTime,
                        IndexSettings indexSettings, long version, JsonNode provenance, TopKIndex prebuilt) {
        this.model = model;
        this.catalogue = catalogue;
        this.history = history;
        this.recent = recent;
        this.defaultTime = defaultTime;
        this.indexSettings = indexSettings;
        this.version = version;
        this.provenance = provenance;
        if (history.catalogueSize() != catalogue.size()) {
            throw new IllegalArgumentException("the users' history indexes " + history.catalogueSize()
                    + " items, the catalogue has " + catalogue.size());
        }
        float[] candidates = model.candidateEmbeddings();
        if (candidates != null && candidates.length != catalogue.size() * model.candidateWidth()) {
            throw new IllegalArgumentException("candidate embeddings: " + candidates.length + " values for "
                    + catalogue.size() + " items of width " + model.candidateWidth());
        }
        this.index = !model.retrieves() ? null : prebuilt != null ? prebuilt : indexSettings.build(candidates, model.width());
        this.unitEmbeddings = candidates == null ? null : unitRows(candidates, model.candidateWidth());
        int width = Math.max(model.width(), model.candidateWidth());
        this.queryBuffer = ThreadLocal.withInitial(() -> new float[width]);
        this.answers = new AnswerItems(catalogue, history);
    }

    /**
     * Loads the current version of a model directory written by {@link #save} (or by
     * {@code train --spec ... --save DIR}), or a directory of the two-tower preset
     * ({@code train --model two-tower --save DIR}) or of a rating preset ({@code mf},
     * {@code dot-mlp}, {@code ncf-mlp}; these only {@link #score}) or of a next-item model
     * ({@code train --model gru4rec|sasrec|pop --save DIR}, answering from a history of items:
     * {@link Query#history()}), searching as saved.
     *
     * @throws org.embedrec.io.ModelFileException naming the file when the directory is missing,
     *     damaged, half-written, of another format or version, or its files were not saved together
     */
    public static Recommender load(Path dir) throws IOException {
        return RecommenderFiles.load(dir, null);
    }

    /** {@link #load(Path)}, searching the catalogue as {@code index} says rather than as saved. */
    public static Recommender load(Path dir, IndexSettings index) throws IOException {
        return RecommenderFiles.load(dir, Objects.requireNonNull(index, "index"));
    }

    /**
     * A recommender of a model just trained from a spec: {@code model}, adapted by
     * {@code encoder}, on {@code data}. The recommender keeps its own copy of the model, so
     * training {@code model} further does not change it. {@code provenance} (how the model was
     * made: split, settings, metrics) is saved with it, beside the embedrec version and the
     * data's fingerprint, which are added here. Exact search below
     * {@value IndexSettings#HNSW_FROM} items, HNSW from there ({@link #withIndex} to choose).
     */
    public static Recommender build(FeatureModel model, FeatureEncoder encoder, TrainingData data,
                                    Map<String, ?> provenance) {
        return FeatureRecommenders.build(model, encoder, data, provenance, null);
    }

    /**
     * {@link #build(FeatureModel, FeatureEncoder, TrainingData, Map)} for a caller that never holds
     * the training rows in one place (a Spark cluster): the catalogue and its candidate features'
     * values are {@code catalogue}'s, the items' attributes {@code items}' (null: none), and what
     * the rows give (seen and recent items, popularity, latest features) is {@code summary}.
     */
    public static Recommender build(FeatureModel model, FeatureEncoder encoder, FeatureSource catalogue,
                                    AttributeTable items, TrainingSummary summary, Map<String, ?> provenance) {
        return FeatureRecommenders.build(model, encoder, Objects.requireNonNull(catalogue, "catalogue"), items, summary,
                provenance, null);
    }

    /**
     * {@link #build(FeatureModel, FeatureEncoder, TrainingData, Map)} searching as {@code index}
     * says: the index is built once, with these settings (a million-item graph takes minutes).
     */
    public static Recommender build(FeatureModel model, FeatureEncoder encoder, TrainingData data,
                                    Map<String, ?> provenance, IndexSettings index) {
        return FeatureRecommenders.build(model, encoder, data, provenance, Objects.requireNonNull(index, "index"));
    }

    /**
     * This recommender searching as {@code index} says (everything else shared). The index is
     * rebuilt, except when only HNSW's {@code efSearch} changes: that is a search setting, so the
     * graph is shared, and the answers are those of a graph built with the new settings (the same
     * vectors, parameters and seed give the same graph). A million-item graph takes minutes to build.
     */
    public Recommender withIndex(IndexSettings index) {
        Objects.requireNonNull(index, "index");
        if (index.equals(indexSettings)) {
            return this;
        }
        TopKIndex prebuilt = null;
        if (this.index instanceof HnswIndex graph && index.kind() == IndexSettings.Kind.HNSW
                && index.hnsw().withEfSearch(indexSettings.hnsw().efSearch()).equals(indexSettings.hnsw())) {
            prebuilt = graph.withSettings(index.hnsw());
        }
        return new Recommender(model, catalogue, history, recent, defaultTime, index, version, provenance, prebuilt);
    }

    /**
     * Saves everything answering needs as a new version of {@code dir}
     * ({@link org.embedrec.io.AtomicFiles#writeDirectory}: the whole set appears at once, or
     * nothing changes): {@code model.json} and {@code weights.safetensors} (the model, its spec
     * and preprocessing, provenance), {@code serving.json} (format, index settings, item
     * attributes, the users' latest raw features) and {@code serving.safetensors} (candidate
     * embeddings, item popularity, each user's seen and recent items and latest time). Saving
     * the same recommender twice writes the same bytes. Only a recommender of a model trained
     * from a spec saves here; the presets have their own files.
     */
    public void save(Path dir) throws IOException {
        if (!(model instanceof FeatureQueryModel feature)) {
            throw new UnsupportedOperationException("only a recommender of a model trained from a spec is saved this "
                    + "way; the " + model.kind() + " preset saves with its own files (train --model ... --save)");
        }
        RecommenderFiles.save(dir, this, feature);
    }

    /** What this recommender serves. */
    public ModelInfo info() {
        return new ModelInfo(model.kind(), model.name(), version, catalogue.size(), history.size(),
                model.queryColumns(), catalogue.attributeNames(), unitEmbeddings != null, model.scoreKind(),
                indexSettings.describe(), provenance, model.scoreRange());
    }

    /** The saved directory's version number ({@link ModelInfo#version()}), without building the whole {@link #info()}. */
    public long version() {
        return version;
    }

    /** The items this recommender can return. */
    public Catalogue catalogue() {
        return catalogue;
    }

    /** How the catalogue is searched. */
    public IndexSettings indexSettings() {
        return indexSettings;
    }

    /** The index recommendations search (null for a model that only scores); saved with the model. */
    TopKIndex index() {
        return index;
    }

    /** The ids of the users the model was trained on (for a server's user picker), in the order saved. */
    public List<String> userIds() {
        return history.userIds();
    }

    /** Whether the model was trained on {@code userId}'s interactions. */
    public boolean knowsUser(String userId) {
        return history.row(Objects.requireNonNull(userId, "userId")) >= 0;
    }

    /**
     * A known user's latest training items, newest first (at most 20; for the two-tower preset,
     * whose directory does not keep their order, every item seen, in catalogue order); empty for
     * a user the model was not trained on.
     */
    public List<String> recentItems(String userId) {
        int user = history.row(Objects.requireNonNull(userId, "userId"));
        if (user < 0) {
            return List.of();
        }
        int[] rows = recent != null ? recent.of(user) : history.seen(user);
        List<String> out = new ArrayList<>(rows.length);
        for (int row : rows) {
            out.add(catalogue.itemId(row));
        }
        return out;
    }

    /** The best items for {@code query}; see the class comment for how it is answered. */
    public Recommendations recommend(Query query) {
        Asker asker = QueryResolution.resolve(query, model, history, catalogue, defaultTime, "");
        return answer(query, asker);
    }

    /**
     * {@link #recommend} for every query, in parallel; element i answers {@code queries.get(i)},
     * exactly as {@code recommend} would. Every query is checked before any is answered, and a
     * bad one fails the batch with its position named ({@code queries[3].k = 0; ...}).
     */
    public List<Recommendations> recommendAll(List<Query> queries) {
        Objects.requireNonNull(queries, "queries");
        int n = queries.size();
        Asker[] askers = new Asker[n];
        for (int i = 0; i < n; i++) {
            Query q = Objects.requireNonNull(queries.get(i), "queries[" + i + "]");
            String prefix = "queries[" + i + "].";
            askers[i] = QueryResolution.resolve(q, model, history, catalogue, defaultTime, prefix);
            if (QueryResolution.source(askers[i], model) == Recommendations.Source.POPULARITY) {
                requireFallback(askers[i], prefix);
            }
            Exclusions.of(q, askers[i], catalogue, history); // checks the filter now
        }
        Recommendations[] answers = new Recommendations[n];
        // Each task writes its own elements; forRange returning publishes them to this thread.
        Parallel.forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                answers[i] = answer(queries.get(i), askers[i]);
            }
        });
        return Arrays.asList(answers);
    }

    private Recommendations answer(Query query, Asker asker) {
        Recommendations.Source source = QueryResolution.source(asker, model);
        Exclusions exclusions = Exclusions.of(query, asker, catalogue, history);
        if (source == Recommendations.Source.POPULARITY) {
            requireFallback(asker, "");
            return new Recommendations(answers.popular(query.k(), exclusions), source, OptionalLong.empty(),
                    asker.unknownHistory());
        }
        List<RecommendedItem> items;
        if (model.retrieves() && exclusions.allowed() == null) {
            float[] q = queryBuffer.get();
            model.embed(asker, q);
            float[] search = q.length == model.width() ? q : Arrays.copyOf(q, model.width());
            SearchBuffers buffers = searchBuffers.get().ensure(Math.min(query.k(), catalogue.size()));
            int n = index.search(search, query.k(), exclusions.excludesNothing() ? null : exclusions, buffers.rows,
                    buffers.scores);
            items = answers.found(buffers.rows, buffers.scores, n, exclusions);
        } else {
            int[] rows = exclusions.remaining(catalogue.size());
            float[] scores = model.retrieves() ? innerProducts(asker, rows) : model.score(asker, rows);
            items = answers.best(rows, scores, model.retrieves() ? null : model.scoreRange(), query.k(),
                    exclusions::seen);
        }
        OptionalLong time = model.readsTime() ? OptionalLong.of(asker.time()) : OptionalLong.empty();
        return new Recommendations(items, source, time, asker.unknownHistory());
    }

    /**
     * The query embedding of each query, row-major {@code [n, width]}, exactly as
     * {@link #recommend} embeds it (a user the model was not trained on reads as its features
     * say: the out-of-vocabulary user): what a retrieval metric ranks the catalogue with, away
     * from the training process (a Spark executor's copy of the model, say).
     *
     * @throws UnsupportedOperationException for a model that does not retrieve (a rating preset)
     */
    public float[] queryEmbeddings(List<Query> queries) {
        requireRetrieval();
        int width = model.width();
        float[] out = new float[queries.size() * width];
        float[] q = new float[Math.max(width, model.candidateWidth())];
        for (int i = 0; i < queries.size(); i++) {
            Query query = Objects.requireNonNull(queries.get(i), "queries[" + i + "]");
            model.embed(QueryResolution.resolve(query, model, history, catalogue, defaultTime, "queries[" + i + "]."),
                    q);
            System.arraycopy(q, 0, out, i * width, width);
        }
        return out;
    }

    /** The catalogue's candidate embeddings, row-major {@code [catalogue size, width]}, in a new array. */
    public float[] candidateEmbeddings() {
        requireRetrieval();
        return model.candidateEmbeddings().clone();
    }

    /** The width of {@link #queryEmbeddings} and {@link #candidateEmbeddings}. */
    public int embeddingWidth() {
        requireRetrieval();
        return model.width();
    }

    private void requireRetrieval() {
        if (!model.retrieves()) {
            throw new UnsupportedOperationException("the " + model.kind() + " model '" + model.name() + "' scores "
                    + "pairs and has no query and candidate embeddings");
        }
    }

    /** The rating presets keep no popularity: a user they were not trained on cannot be answered. */
    private void requireFallback(Asker asker, String prefix) {
        if (model.kind().equals("rating")) {
            throw new IllegalArgumentException(prefix + "userId '" + asker.userId() + "': the rating model '" + model.name()
                    + "' was not trained on this user and keeps no popularity to fall back on");
        }
    }

    /** The retrieval scores {@code q . c} of {@code rows}: the same kernel call, so the same bits, as an exact index search. */
    private float[] innerProducts(Asker asker, int[] rows) {
        float[] q = queryBuffer.get();
        model.embed(asker, q);
        int width = model.width();
        float[] candidates = model.candidateEmbeddings();
        Kernels kernels = Kernels.get();
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = kernels.dot(q, 0, candidates, rows[i] * width, width);
        }
        return out;
    }

    /**
     * The {@code k} items whose candidate embeddings have the largest cosine with
     * {@code itemId}'s, best first, the item itself left out ({@link Recommendations.Source#SIMILAR_ITEMS}).
     *
     * @throws IllegalArgumentException if {@code k} is outside 1 to {@link Query#MAX_K} or the
     *     catalogue has no item {@code itemId}
     * @throws UnsupportedOperationException for a rating preset, which has no candidate embeddings
     */
    public Recommendations similar(String itemId, int k) {
        if (k < 1 || k > Query.MAX_K) {
            throw new IllegalArgumentException("k = " + k + "; expected 1 to " + Query.MAX_K);
        }
        int row = itemRow(itemId, "itemId");
        if (unitEmbeddings == null) {
            throw new UnsupportedOperationException("the " + model.kind() + " model '" + model.name()
                    + "' has no candidate embeddings to compare items by");
        }
        int width = model.candidateWidth();
        float[] q = queryBuffer.get();
        float[] search = q.length == width ? q : new float[width];
        System.arraycopy(unitEmbeddings, row * width, search, 0, width);
        List<RecommendedItem> items = answers.found(similarityIndex().search(search, k, item -> item == row),
                AnswerItems.NOTHING_SEEN);
        return new Recommendations(items, Recommendations.Source.SIMILAR_ITEMS, OptionalLong.empty());
    }

    /**
     * The model's scores of {@code itemIds} for the query's asker (its user, features and time;
     * its {@code k}, exclusions and filter do not apply), in the order given: predicted ratings
     * or probabilities from a rating head, else retrieval inner products, or the items'
     * popularity for someone the model cannot answer ({@link Scores#kind()} says which).
     * Predicted ratings are clipped to {@code [min, max]} of the training labels, exactly as the
     * rating metrics (RMSE, MAE) clip them, when the model saved that range
     * ({@link Scores#clippedTo()}; a directory saved before the range was kept gives them
     * unclipped, as it always did).
     *
     * @throws IllegalArgumentException naming the position of an item the catalogue does not
     *     hold, or when more than {@link Query#MAX_K} items are given
     */
    public Scores score(Query query, List<String> itemIds) {
        Objects.requireNonNull(itemIds, "itemIds");
        if (itemIds.size() > Query.MAX_K) {
            throw new IllegalArgumentException("itemIds: " + itemIds.size() + " items; at most " + Query.MAX_K
                    + " are scored at once");
        }
        int[] rows = new int[itemIds.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = itemRow(itemIds.get(i), "itemIds[" + i + "]");
        }
        Asker asker = QueryResolution.resolve(query, model, history, catalogue, defaultTime, "");
        Recommendations.Source source = QueryResolution.source(asker, model);
        float[] scores;
        Scores.Kind kind;
        LabelRange range = null;
        if (source == Recommendations.Source.POPULARITY) {
            requireFallback(asker, "");
            scores = new float[rows.length];
            for (int i = 0; i < rows.length; i++) {
                scores[i] = catalogue.popularity(rows[i]);
            }
            kind = Scores.Kind.POPULARITY;
        } else {
            scores = model.score(asker, rows);
            kind = model.scoreKind();
            range = model.scoreRange();
            if (range != null) {
                range.clipInPlace(scores);
            }
        }
        List<Scores.ItemScore> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out.add(new Scores.ItemScore(itemIds.get(i), scores[i]));
        }
        return new Scores(out, source, kind, range);
    }

    /** {@link #score(Query, List)} for a user, at their defaults. */
    public Scores score(String userId, List<String> itemIds) {
        return score(Query.user(userId).build(), itemIds);
    }

    /** {@link #score(Query, List)} for each request, in parallel; element i answers {@code requests.get(i)}. */
    public List<Scores> scoreAll(List<Scores.Request> requests) {
        Objects.requireNonNull(requests, "requests");
        Scores[] answers = new Scores[requests.size()];
        Parallel.forRange(answers.length, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                Scores.Request r = requests.get(i);
                answers[i] = score(r.query(), r.itemIds());
            }
        });
        return Arrays.asList(answers);
    }

    /** The catalogue row of {@code itemId}, or an error naming {@code field}. */
    private int itemRow(String itemId, String field) {
        if (itemId == null) {
            throw new IllegalArgumentException(field + ": null; expected an item id");
        }
        int row = catalogue.row(itemId);
        if (row < 0) {
            List<String> ids = catalogue.itemIds();
            throw new IllegalArgumentException(field + " '" + itemId + "': no such item in the catalogue ("
                    + ids.size() + " items, e.g. " + String.join(", ", ids.subList(0, Math.min(3, ids.size()))) + ")");
        }
        return row;
    }

    private TopKIndex similarityIndex() {
        TopKIndex built = similarityIndex;
        if (built == null) {
            synchronized (this) {
                built = similarityIndex;
                if (built == null) {
                    built = indexSettings.build(unitEmbeddings, model.candidateWidth());
                    similarityIndex = built;
                }
            }
        }
        return built;
    }

    /** The rows of {@code vectors} scaled to unit length (a zero row stays zero), so inner products are cosines. */
    private static float[] unitRows(float[] vectors, int width) {
        float[] units = vectors.clone();
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
        return units;
    }

    // What the files need to save a recommender; package-private.

    QueryModel model() {
        return model;
    }

    UserHistory history() {
        return history;
    }

    RecentItems recent() {
        return recent;
    }

    long defaultTime() {
        return defaultTime;
    }

    JsonNode provenance() {
        return provenance;
    }

    /** A thread's rows and scores of one search, grown to the largest K asked. */
    private static final class SearchBuffers {
        int[] rows = new int[16];
        float[] scores = new float[16];

        SearchBuffers ensure(int k) {
            if (k > rows.length) {
                rows = new int[k];
                scores = new float[k];
            }
            return this;
        }
    }
}
