package org.embedrec.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.embedrec.index.BruteForceIndex;
import org.embedrec.index.HnswIndex;
import org.embedrec.index.TopKIndex;

/**
 * How a recommender searches its catalogue: exactly ({@link Kind#EXACT}, {@link BruteForceIndex})
 * or on an HNSW graph ({@link Kind#HNSW}, {@link HnswIndex} with {@code hnsw}'s parameters).
 * Saved with the model, and the graph with them ({@link HnswGraphFiles}), so loading reads it
 * rather than building it; a directory saved before graphs were (format version 1), or loaded
 * with other build parameters, builds it, and the same vectors, parameters and seed give the same
 * graph on any number of threads.
 *
 * @param kind exact or HNSW
 * @param hnsw the graph's parameters (ignored for {@link Kind#EXACT})
 */
public record IndexSettings(Kind kind, HnswIndex.Settings hnsw) {
    /** Catalogues at least this large get an HNSW graph by {@link #forCatalogue}; an exact scan of fewer takes well under a millisecond. */
    public static final int HNSW_FROM = 100_000;

    /** Exact search. */
    public static final IndexSettings EXACT = new IndexSettings(Kind.EXACT, HnswIndex.Settings.DEFAULT);
    /** An HNSW graph with {@link HnswIndex.Settings#DEFAULT}. */
    public static final IndexSettings HNSW = new IndexSettings(Kind.HNSW, HnswIndex.Settings.DEFAULT);

    /** Exact or approximate. */
    public enum Kind { EXACT, HNSW }

    public IndexSettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hnsw, "hnsw");
    }

    /** Exact below {@value #HNSW_FROM} items, HNSW with the default parameters from there on. */
    public static IndexSettings forCatalogue(int items) {
        return items < HNSW_FROM ? EXACT : HNSW;
    }

    /** An index of this kind over {@code vectors}, row-major {@code [n, dim]}. */
    TopKIndex build(float[] vectors, int dim) {
        return kind == Kind.EXACT ? new BruteForceIndex(vectors, dim) : HnswIndex.build(vectors, dim, hnsw);
    }

    /** "exact", or "hnsw (M 16, efConstruction 50, efSearch 150, seed 42)". */
    public String describe() {
        return kind == Kind.EXACT ? "exact" : String.format(java.util.Locale.ROOT,
                "hnsw (M %d, efConstruction %d, efSearch %d, seed %d)", hnsw.maxConn(), hnsw.beamWidth(),
                hnsw.efSearch(), hnsw.seed());
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("kind", kind == Kind.EXACT ? "exact" : "hnsw");
        if (kind == Kind.HNSW) {
            o.put("max_conn", hnsw.maxConn());
            o.put("beam_width", hnsw.beamWidth());
            o.put("ef_search", hnsw.efSearch());
            o.put("seed", hnsw.seed());
        }
        return o;
    }

    /** The settings {@link #toJson} wrote; {@code where} names the node in messages. */
    static IndexSettings fromJson(JsonNode o, String where) {
        String kind = o.path("kind").asText("");
        switch (kind) {
            case "exact":
                return EXACT;
            case "hnsw":
                for (String field : new String[] {"max_conn", "beam_width", "ef_search", "seed"}) {
                    if (!o.path(field).isIntegralNumber()) {
                        throw new IllegalArgumentException(where + "." + field + ": expected an integer");
                    }
                }
                return new IndexSettings(Kind.HNSW, new HnswIndex.Settings(o.get("max_conn").asInt(),
                        o.get("beam_width").asInt(), o.get("ef_search").asInt(), o.get("seed").asLong()));
            default:
                throw new IllegalArgumentException(where + ".kind: '" + kind + "', expected exact or hnsw");
        }
    }
}
