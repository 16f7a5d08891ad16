package org.embedrec.features;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One feature of a spec: which data column it reads, what kind of value the column holds, how
 * it is preprocessed, how wide its embedding is, and which tower uses it.
 *
 * <p>Categorical kinds are looked up in a vocabulary adapted on the training rows (at most
 * {@code maxTokens} ids, {@code oovBuckets} of them for unknown values) or, with
 * {@code hashBins > 0}, hashed into that many bins. Numeric kinds are normalised
 * ({@code normalize}) and/or cut into buckets ({@code discretize}) that are embedded. Text and
 * list kinds are looked up token by token, at most {@code maxLength} per row, and pooled.
 *
 * @param name the feature's name, unique in the spec
 * @param column the data column it reads (the name, unless given)
 * @param tower {@code "query"} or {@code "candidate"}
 * @param embeddingDim width of its embedding; 0 for a numeric feature fed as one normalised value
 * @param pooling {@code "mean"}, {@code "sum"}, or {@code "gru"} or {@code "attention"} (the entries
 *     read in order: a history of items as a sequence), for text and list features
 * @param initStddev the embedding starts normal with this standard deviation; 0 for Keras's
 *     default, uniform in [-0.05, 0.05]
 * @param adaptOn what a candidate feature's vocabulary (or statistics) is adapted on:
 *     {@code "training"}, the items of the training rows, or {@code "catalogue"}, every item of the
 *     catalogue, as the TensorFlow Recommenders tutorial adapts its title layers (item side
 *     information is known for every item, trained on or not); query features always adapt on
 *     the training rows
 */
public record FeatureDefinition(String name, String column, FeatureKind kind, String tower, int embeddingDim,
                                int oovBuckets, int maxTokens, int hashBins, String separator, int maxLength,
                                String pooling, boolean normalize, Discretize discretize, double initStddev,
                                String adaptOn) {
    public static final String QUERY = "query";
    public static final String CANDIDATE = "candidate";
    public static final String ADAPT_ON_TRAINING = "training";
    public static final String ADAPT_ON_CATALOGUE = "catalogue";

    /** A feature adapted on the training rows. */
    public FeatureDefinition(String name, String column, FeatureKind kind, String tower, int embeddingDim,
                             int oovBuckets, int maxTokens, int hashBins, String separator, int maxLength,
                             String pooling, boolean normalize, Discretize discretize, double initStddev) {
        this(name, column, kind, tower, embeddingDim, oovBuckets, maxTokens, hashBins, separator, maxLength, pooling,
                normalize, discretize, initStddev, ADAPT_ON_TRAINING);
    }

    /** A feature whose embedding starts as Keras's default. */
    public FeatureDefinition(String name, String column, FeatureKind kind, String tower, int embeddingDim,
                             int oovBuckets, int maxTokens, int hashBins, String separator, int maxLength,
                             String pooling, boolean normalize, Discretize discretize) {
        this(name, column, kind, tower, embeddingDim, oovBuckets, maxTokens, hashBins, separator, maxLength, pooling,
                normalize, discretize, 0.0);
    }

    /** This feature with another embedding width. */
    public FeatureDefinition withEmbeddingDim(int value) {
        return new FeatureDefinition(name, column, kind, tower, value, oovBuckets, maxTokens, hashBins, separator,
                maxLength, pooling, normalize, discretize, initStddev, adaptOn);
    }

    /** True when this candidate feature adapts on the whole catalogue rather than the training items. */
    public boolean adaptsOnCatalogue() {
        return ADAPT_ON_CATALOGUE.equals(adaptOn);
    }

    /**
     * Bucketing of a numeric feature: {@code bins} buckets by quantiles of the training values
     * or of equal width between their minimum and maximum, or the explicit {@code boundaries}.
     * {@code "linspace"} is the TensorFlow Recommenders tutorial's bucketing,
     * {@code np.linspace(min, max, bins - 1)} as boundaries: the first boundary is the training
     * minimum, so bucket 0 holds only values below the training range, the last bucket values at
     * or after its maximum, and no extra bucket is made for a missing value (it goes to bucket 0,
     * which no training value reaches either).
     */
    public record Discretize(int bins, String method, List<Double> boundaries) {
        public static final String QUANTILES = "quantiles";
        public static final String EQUAL_WIDTH = "equal_width";
        public static final String LINSPACE = "linspace";

        public Discretize {
            boundaries = boundaries == null ? null : List.copyOf(boundaries);
        }

        ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            if (boundaries != null) {
                boundaries.forEach(o.putArray("boundaries")::add);
            } else {
                o.put("bins", bins);
                o.put("method", method);
            }
            return o;
        }
    }

    /** True when the feature reaches the model as embedding ids (not only as a normalised value). */
    public boolean embedded() {
        return !kind.numeric() || discretize != null;
    }

    /** The feature as it is written in a spec file, every field explicit. */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("name", name);
        o.put("column", column);
        o.put("kind", kind.jsonName());
        o.put("tower", tower);
        o.put("embedding_dim", embeddingDim);
        if (kind.categorical() || kind.bag()) {
            o.put("oov_buckets", oovBuckets);
            o.put("max_tokens", maxTokens);
        }
        if (kind.categorical()) {
            o.put("hash_bins", hashBins);
        }
        if (kind == FeatureKind.LIST) {
            o.put("separator", separator);
        }
        if (kind.bag()) {
            o.put("max_length", maxLength);
            o.put("pooling", pooling);
        }
        if (kind.numeric()) {
            o.put("normalize", normalize);
            if (discretize != null) {
                o.set("discretize", discretize.toJson());
            }
        }
        if (initStddev > 0) {
            o.put("init_stddev", initStddev);
        }
        if (tower.equals(CANDIDATE)) {
            o.put("adapt_on", adaptOn);
        }
        return o;
    }
}
