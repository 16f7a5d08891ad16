package org.embedrec.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.data.Interactions;

/**
 * The preprocessing of a spec's features, adapted on the training rows only: per feature its
 * lookup or hashing, its bucket boundaries, its normalisation, its text vocabulary; per cross its
 * hashing. {@link #encodeQueries} and {@link #encodeCandidates} turn raw values into
 * {@link EncodedFeatures}; {@link #toJson} saves the adapted state with the model and
 * {@link #fromJson} restores it, so a saved model encodes raw inputs exactly as in training.
 *
 * <p>Per kind (see {@link FeatureKind}): string and integer values are looked up
 * ({@link StringLookup}, {@link IntegerLookup}; unknown values go to the out-of-vocabulary
 * buckets) or hashed ({@link Hashing}); numbers are normalised ({@link Normalization}) into one
 * float and/or bucketed ({@link Discretization}) into an id; text is split into words
 * ({@link TextVectorization}, padded to {@code max_length}); a list is split on its separator,
 * each entry looked up, padded with the mask id 0.
 */
public final class FeatureEncoder {
    private static final String LIST_MASK = "";

    private final FeatureSpec spec;
    private final Map<String, Adapted> features;
    private final Map<String, CategoryCross> crosses;

    /** The adapted layers of one feature; absent parts are null. */
    private record Adapted(PreprocessingLayer lookup, Discretization buckets, Normalization normalization) {}

    private FeatureEncoder(FeatureSpec spec, Map<String, Adapted> features, Map<String, CategoryCross> crosses) {
        this.spec = spec;
        this.features = features;
        this.crosses = crosses;
    }

    /** Adapts every feature of {@code source}'s spec on the query rows {@code train} and on the catalogue. */
    public static FeatureEncoder adapt(FeatureSource source, Interactions train) {
        FeatureSpec spec = source.spec();
        Map<String, Adapted> features = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features()) {
            boolean query = f.tower().equals(FeatureDefinition.QUERY);
            double[] numbers = query ? source.queryNumbers(f, train) : null;
            if (numbers != null) {
                features.put(f.name(), adaptNumbers(f, numbers));
                continue;
            }
            String[] values = query ? source.queryValues(f, train)
                    : f.adaptsOnCatalogue() ? source.candidateValues(f) : trainingItemValues(source, f, train);
            String unit = query ? "training row " : f.adaptsOnCatalogue() ? "item " : "training item ";
            features.put(f.name(), adapt(f, values, unit));
        }
        Map<String, CategoryCross> crosses = new LinkedHashMap<>();
        for (CrossDefinition c : spec.crosses()) {
            crosses.put(c.name(), new CategoryCross(c.buckets()));
        }
        return new FeatureEncoder(spec, features, crosses);
    }

    /**
     * Adapts every feature of {@code spec} from statistics gathered where the values are (a
     * cluster's partitions, merged): per feature, by name, the statistics of the values
     * {@link #adapt(FeatureSource, Interactions)} would adapt it on (a query feature's training
     * rows; a candidate feature's catalogue items or training items, each once). Lookups and text
     * get the very vocabularies; numbers the same buckets and, up to the rounding of merging parts,
     * the same normalisation.
     *
     * @throws IllegalArgumentException naming the feature when its statistics are missing
     */
    public static FeatureEncoder adapt(FeatureSpec spec, Map<String, FeatureStatistics> statistics) {
        Map<String, Adapted> features = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features()) {
            FeatureStatistics s = statistics.get(f.name());
            if (s == null) {
                throw new IllegalArgumentException("feature '" + f.name() + "': no statistics to adapt it on; got "
                        + statistics.keySet());
            }
            features.put(f.name(), adapt(f, s));
        }
        Map<String, CategoryCross> crosses = new LinkedHashMap<>();
        for (CrossDefinition c : spec.crosses()) {
            crosses.put(c.name(), new CategoryCross(c.buckets()));
        }
        return new FeatureEncoder(spec, features, crosses);
    }

    /** {@link #adapt(FeatureDefinition, String[], String)}'s layers, from counts and moments rather than values. */
    private static Adapted adapt(FeatureDefinition f, FeatureStatistics s) {
        switch (f.kind()) {
            case STRING -> {
                if (f.hashBins() > 0) {
                    return new Adapted(new Hashing(f.hashBins()), null, null);
                }
                StringLookup.Builder b = stringLookup(f);
                s.counts().forEach(b::adapt);
                return new Adapted(b.build(), null, null);
            }
            case INTEGER -> {
                if (f.hashBins() > 0) {
                    return new Adapted(new Hashing(f.hashBins()), null, null);
                }
                IntegerLookup.Builder b = integerLookup(f);
                s.counts().forEach((key, n) -> b.adapt(Integer.parseInt(key), n));
                return new Adapted(b.build(), null, null);
            }
            case NUMERIC, TIMESTAMP -> {
                if (s.present() == 0) {
                    throw new IllegalArgumentException("feature '" + f.name() + "' (column '" + f.column() + "'): "
                            + "every training value is missing; nothing to adapt its preprocessing on");
                }
                Normalization norm = f.normalize() ? s.normalization() : null;
                return new Adapted(null, discretization(f, s.min(), s.max(), s::quantiles), norm);
            }
            case TEXT -> {
                TextVectorization.Builder b = textVectorization(f);
                s.counts().forEach(b::adapt);
                return new Adapted(b.build(), null, null);
            }
            case LIST -> {
                StringLookup.Builder b = listLookup(f);
                s.counts().forEach(b::adapt);
                return new Adapted(b.build(), null, null);
            }
            default -> throw new IllegalStateException("unknown kind " + f.kind());
        }
    }

    /** The lookup of a string feature, configured by its definition, not yet adapted. */
    private static StringLookup.Builder stringLookup(FeatureDefinition f) {
        StringLookup.Builder b = StringLookup.builder().numOovIndices(f.oovBuckets());
        return f.maxTokens() > 0 ? b.maxTokens(f.maxTokens()) : b;
    }

    private static IntegerLookup.Builder integerLookup(FeatureDefinition f) {
        IntegerLookup.Builder b = IntegerLookup.builder().numOovIndices(f.oovBuckets());
        return f.maxTokens() > 0 ? b.maxTokens(f.maxTokens()) : b;
    }

    private static TextVectorization.Builder textVectorization(FeatureDefinition f) {
        TextVectorization.Builder b = TextVectorization.builder(f.maxLength());
        return f.maxTokens() > 0 ? b.maxTokens(f.maxTokens()) : b;
    }

    /** A list's entries are looked up with the mask id 0 for padding. */
    private static StringLookup.Builder listLookup(FeatureDefinition f) {
        return stringLookup(f).maskToken(LIST_MASK);
    }

    /** A candidate feature adapts on the items that occur in the training rows, each once. */
    private static String[] trainingItemValues(FeatureSource source, FeatureDefinition f, Interactions train) {
        String[] all = source.candidateValues(f);
        boolean[] seen = new boolean[all.length];
        List<String> out = new ArrayList<>();
        for (int r = 0; r < train.size(); r++) {
            int item = train.item(r);
            if (!seen[item]) {
                seen[item] = true;
                out.add(all[item]);
            }
        }
        return out.toArray(new String[0]);
    }

    /** A numeric or timestamp feature adapted on its values (NaN where missing). */
    private static Adapted adaptNumbers(FeatureDefinition f, double[] numbers) {
        double[] x = RawValues.present(f, numbers);
        Normalization norm = f.normalize() ? Normalization.builder().adapt(x).build() : null;
        return new Adapted(null, discretization(f, x), norm);
    }

    private static Adapted adapt(FeatureDefinition f, String[] values, String unit) {
        switch (f.kind()) {
            case STRING -> {
                if (f.hashBins() > 0) {
                    return new Adapted(new Hashing(f.hashBins()), null, null);
                }
                return new Adapted(stringLookup(f).adapt(RawValues.trimmed(values)).build(), null, null);
            }
            case INTEGER -> {
                if (f.hashBins() > 0) {
                    return new Adapted(new Hashing(f.hashBins()), null, null);
                }
                return new Adapted(integerLookup(f).adapt(RawValues.integers(f, values, unit)).build(), null, null);
            }
            case NUMERIC, TIMESTAMP -> {
                return adaptNumbers(f, RawValues.numbers(f, values, unit));
            }
            case TEXT -> {
                return new Adapted(textVectorization(f).adapt(values).build(), null, null);
            }
            case LIST -> {
                StringLookup.Builder b = listLookup(f);
                List<String> entries = new ArrayList<>();
                for (String v : values) {
                    entries.addAll(RawValues.entries(v, f.separator()));
                }
                return new Adapted(b.adapt(entries).build(), null, null);
            }
            default -> throw new IllegalStateException("unknown kind " + f.kind());
        }
    }

    private static Discretization discretization(FeatureDefinition f, double[] x) {
        return discretization(f, min(x), max(x), bins -> Discretization.builder(bins).adapt(x).build());
    }

    /**
     * The buckets of {@code f} over values of range [{@code min}, {@code max}]: its explicit
     * boundaries, linspace or equal width over the range, or {@code quantiles} of the values.
     */
    private static Discretization discretization(FeatureDefinition f, double min, double max,
                                                 java.util.function.IntFunction<Discretization> quantiles) {
        FeatureDefinition.Discretize d = f.discretize();
        if (d == null) {
            return null;
        }
        if (d.boundaries() != null) {
            return Discretization.withBoundaries(d.boundaries().stream().mapToDouble(Double::doubleValue).toArray());
        }
        if (d.method().equals(FeatureDefinition.Discretize.LINSPACE)) {
            return Discretization.linspace(min, max, d.bins() - 1);
        }
        if (d.method().equals(FeatureDefinition.Discretize.EQUAL_WIDTH)) {
            return max > min ? Discretization.equalWidth(min, max, d.bins()) : Discretization.withBoundaries(min);
        }
        return quantiles.apply(d.bins());
    }

    private static double min(double[] x) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : x) {
            m = Math.min(m, v);
        }
        return m;
    }

    private static double max(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    /**
     * The id a missing value of {@code f} gets: a bucket of its own after the others, except
     * with linspace bucketing, whose bucket 0 (below the training range) no training value
     * reaches and which takes missing values too, so its table is exactly the tutorial's.
     */
    private static int missingBucket(FeatureDefinition f, Discretization buckets) {
        return isLinspace(f) ? 0 : buckets.numBins();
    }

    /** Rows of the bucket embedding table of {@code f}: see {@link #missingBucket}. */
    private static int bucketRows(FeatureDefinition f, Discretization buckets) {
        return isLinspace(f) ? buckets.numBins() : buckets.numBins() + 1;
    }

    private static boolean isLinspace(FeatureDefinition f) {
        return f.discretize() != null && FeatureDefinition.Discretize.LINSPACE.equals(f.discretize().method());
    }

    /** The spec this encoder was adapted for. */
    public FeatureSpec spec() {
        return spec;
    }

    /** The query tower's inputs for the rows {@code rows}, read through {@code source}. */
    public EncodedFeatures encodeQueries(FeatureSource source, Interactions rows) {
        Map<String, String[]> raw = new LinkedHashMap<>();
        Map<String, double[]> numbers = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features(FeatureDefinition.QUERY)) {
            double[] x = source.queryNumbers(f, rows);
            if (x != null) {
                numbers.put(f.name(), x);
            } else {
                raw.put(f.name(), source.queryValues(f, rows));
            }
        }
        return encode(FeatureDefinition.QUERY, raw, numbers, rows.size(), "row ");
    }

    /** The candidate tower's inputs for every catalogue item of {@code source}, in catalogue order. */
    public EncodedFeatures encodeCandidates(FeatureSource source) {
        Map<String, String[]> raw = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features(FeatureDefinition.CANDIDATE)) {
            raw.put(f.name(), source.candidateValues(f));
        }
        return encode(FeatureDefinition.CANDIDATE, raw, source.catalogueSize(), "item ");
    }

    /**
     * The inputs of {@code tower} for {@code n} rows of raw values, one array per feature of the
     * tower by name (the values of a row given by a caller rather than read from data, say).
     */
    public EncodedFeatures encode(String tower, Map<String, String[]> raw, int n, String unit) {
        return encode(tower, raw, Map.of(), n, unit);
    }

    /** As {@link #encode(String, Map, int, String)}, the numeric features in {@code numbers} given as numbers. */
    private EncodedFeatures encode(String tower, Map<String, String[]> raw, Map<String, double[]> numbers, int n,
                                   String unit) {
        List<EncodedFeatures.Input> inputs = new ArrayList<>();
        Map<String, int[]> categoricalIds = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features(tower)) {
            double[] parsed = numbers.get(f.name());
            String[] values = raw.get(f.name());
            if (parsed != null && parsed.length == n) {
                values = null;
            } else if (values == null || values.length != n) {
                throw new IllegalArgumentException("feature '" + f.name() + "': expected " + n + " values, got "
                        + (values == null ? "none" : values.length));
            }
            Adapted a = features.get(f.name());
            switch (f.kind()) {
                case STRING, INTEGER -> {
                    int[] ids = new int[n];
                    int vocabulary;
                    if (a.lookup() instanceof Hashing h) {
                        h.hash(RawValues.trimmed(values), ids);
                        vocabulary = h.numBins();
                    } else if (a.lookup() instanceof StringLookup s) {
                        s.lookup(RawValues.trimmed(values), ids);
                        vocabulary = s.vocabularySize();
                    } else {
                        IntegerLookup il = (IntegerLookup) a.lookup();
                        il.lookup(RawValues.integers(f, values, unit), ids);
                        vocabulary = il.vocabularySize();
                    }
                    categoricalIds.put(f.name(), ids);
                    inputs.add(new EncodedFeatures.Ids(f.name(), ids, 1, vocabulary, -1, false));
                }
                case NUMERIC, TIMESTAMP -> {
                    double[] x = parsed != null ? parsed : RawValues.numbers(f, values, unit);
                    // A missing value gets a bucket of its own (the last id; with linspace, bucket 0)
                    // and the normalised value 0, the training mean.
                    boolean[] missing = new boolean[n];
                    for (int r = 0; r < n; r++) {
                        missing[r] = Double.isNaN(x[r]);
                    }
                    if (a.buckets() != null) {
                        int[] ids = a.buckets().bucket(RawValues.fill(x, missing, 0.0));
                        int missingId = missingBucket(f, a.buckets());
                        for (int r = 0; r < n; r++) {
                            if (missing[r]) {
                                ids[r] = missingId;
                            }
                        }
                        inputs.add(new EncodedFeatures.Ids(f.name() + "_bucket", ids, 1, bucketRows(f, a.buckets()),
                                -1, false));
                    }
                    if (a.normalization() != null) {
                        float[] v = a.normalization().transform(RawValues.fill(x, missing, a.normalization().mean()[0]));
                        for (int r = 0; r < n; r++) {
                            if (missing[r]) {
                                v[r] = 0f;
                            }
                        }
                        inputs.add(new EncodedFeatures.Values(f.name(), v));
                    }
                }
                case TEXT -> {
                    TextVectorization t = (TextVectorization) a.lookup();
                    inputs.add(new EncodedFeatures.Ids(f.name(), t.transform(values), t.outputSequenceLength(),
                            t.vocabularySize(), TextVectorization.PAD_ID, true));
                }
                case LIST -> {
                    StringLookup s = (StringLookup) a.lookup();
                    int w = f.maxLength();
                    int[] ids = new int[n * w];
                    for (int r = 0; r < n; r++) {
                        List<String> e = RawValues.entries(values[r], f.separator());
                        for (int k = 0; k < Math.min(w, e.size()); k++) {
                            ids[r * w + k] = s.lookup(e.get(k));
                        }
                    }
                    inputs.add(new EncodedFeatures.Ids(f.name(), ids, w, s.vocabularySize(), 0, true));
                }
                default -> throw new IllegalStateException("unknown kind " + f.kind());
            }
        }
        for (CrossDefinition c : spec.crosses(tower)) {
            int[][] parts = new int[c.features().size()][];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = categoricalIds.get(c.features().get(k));
            }
            int[] ids = new int[n];
            crosses.get(c.name()).cross(parts, ids);
            inputs.add(new EncodedFeatures.Ids(c.name(), ids, 1, c.buckets(), -1, false));
        }
        return new EncodedFeatures(n, inputs);
    }

    /**
     * The raw value that stands for "not given" in feature {@code name}, for a caller building a
     * row by hand: blank for every kind (a missing number, empty text or list, the empty id that
     * lookups send to the out-of-vocabulary bucket), except an integer lookup, where a blank
     * does not parse: its out-of-vocabulary value, which no vocabulary holds.
     *
     * @throws IllegalArgumentException if the spec has no feature {@code name}
     */
    public String missingValue(String name) {
        Adapted a = features.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no feature '" + name + "' in the spec");
        }
        return a.lookup() instanceof IntegerLookup il ? Integer.toString(il.oovValue()) : "";
    }

    /** What each input of {@code tower} needs from the model: its vocabulary and its embedding width. */
    public List<TowerInput> towerInputs(String tower) {
        List<TowerInput> out = new ArrayList<>();
        for (FeatureDefinition f : spec.features(tower)) {
            Adapted a = features.get(f.name());
            if (f.kind().numeric()) {
                if (a.buckets() != null) {
                    // Usually one more row than buckets, the last for a missing value (see missingBucket).
                    out.add(TowerInput.ids(f.name() + "_bucket", bucketRows(f, a.buckets()), f.embeddingDim(), false,
                            f.initStddev()));
                }
                if (a.normalization() != null) {
                    out.add(TowerInput.value(f.name()));
                }
            } else {
                boolean ordered = f.kind().bag() && (f.pooling().equals("gru") || f.pooling().equals("attention"));
                out.add(new TowerInput(f.name(), vocabularySize(a.lookup()), f.embeddingDim(),
                        f.kind().bag() && f.pooling().equals("sum"), f.initStddev(), ordered ? f.pooling() : null,
                        ordered ? f.maxLength() : 0));
            }
        }
        for (CrossDefinition c : spec.crosses(tower)) {
            out.add(TowerInput.ids(c.name(), c.buckets(), c.embeddingDim(), false, 0.0));
        }
        return out;
    }

    private static int vocabularySize(PreprocessingLayer layer) {
        if (layer instanceof Hashing h) {
            return h.numBins();
        }
        if (layer instanceof StringLookup s) {
            return s.vocabularySize();
        }
        if (layer instanceof IntegerLookup i) {
            return i.vocabularySize();
        }
        return ((TextVectorization) layer).vocabularySize();
    }

    /** The adapted state: per feature its layers' JSON ({@link PreprocessingLayer#toJson}), per cross its hashing. */
    public ObjectNode toJson() {
        ObjectNode root = LayerJson.header("FeatureEncoder");
        ObjectNode fs = root.putObject("features");
        for (Map.Entry<String, Adapted> e : features.entrySet()) {
            ObjectNode o = fs.putObject(e.getKey());
            Adapted a = e.getValue();
            if (a.lookup() != null) {
                o.set("lookup", a.lookup().toJson());
            }
            if (a.buckets() != null) {
                o.set("discretization", a.buckets().toJson());
            }
            if (a.normalization() != null) {
                o.set("normalization", a.normalization().toJson());
            }
        }
        ObjectNode cs = root.putObject("crosses");
        crosses.forEach((name, cross) -> cs.set(name, cross.toJson()));
        return root;
    }

    /** The encoder of {@code spec} written by {@link #toJson}. */
    public static FeatureEncoder fromJson(FeatureSpec spec, JsonNode node) {
        LayerJson.checkHeader(node, "FeatureEncoder");
        JsonNode fs = node.path("features");
        Map<String, Adapted> features = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features()) {
            JsonNode o = fs.get(f.name());
            if (o == null || !o.isObject()) {
                throw new IllegalArgumentException("FeatureEncoder JSON: no state for feature '" + f.name() + "'");
            }
            PreprocessingLayer lookup = o.has("lookup") ? PreprocessingLayer.fromJson(o.get("lookup")) : null;
            Discretization buckets = o.has("discretization") ? Discretization.fromJson(o.get("discretization")) : null;
            Normalization norm = o.has("normalization") ? Normalization.fromJson(o.get("normalization")) : null;
            boolean complete = f.kind().numeric()
                    ? (f.discretize() == null) == (buckets == null) && f.normalize() == (norm != null)
                    : lookup != null;
            if (!complete) {
                throw new IllegalArgumentException("FeatureEncoder JSON: the state of feature '" + f.name()
                        + "' does not match its definition in the spec");
            }
            features.put(f.name(), new Adapted(lookup, buckets, norm));
        }
        Map<String, CategoryCross> crosses = new LinkedHashMap<>();
        for (CrossDefinition c : spec.crosses()) {
            JsonNode o = node.path("crosses").get(c.name());
            if (o == null) {
                throw new IllegalArgumentException("FeatureEncoder JSON: no state for cross '" + c.name() + "'");
            }
            crosses.put(c.name(), CategoryCross.fromJson(o));
        }
        return new FeatureEncoder(spec, features, crosses);
    }
}
