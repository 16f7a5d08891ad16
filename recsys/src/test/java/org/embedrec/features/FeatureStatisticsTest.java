package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

/**
 * Statistics gathered in parts and merged adapt the encoder the values adapt: the same
 * vocabularies and buckets bit for bit, the same normalisation up to the rounding of merging (Welford's update on
 * timestamps of 8.8e8 itself rounds at 1e-12 of the variance).
 */
class FeatureStatisticsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String SPEC = """
            {"data": {"user": "u", "item": "i", "timestamp": "t"},
             "features": [
               {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 4, "max_tokens": 9},
               {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 4, "hash_bins": 5},
               {"name": "age", "kind": "integer", "tower": "query", "embedding_dim": 4},
               {"name": "t", "kind": "timestamp", "tower": "query", "embedding_dim": 4, "normalize": true,
                "discretize": {"bins": 11, "method": "linspace"}},
               {"name": "score", "kind": "numeric", "tower": "query", "normalize": true,
                "discretize": {"bins": 6}},
               {"name": "width", "column": "score", "kind": "numeric", "tower": "query", "normalize": false,
                "discretize": {"bins": 4, "method": "equal_width"}},
               {"name": "words", "kind": "text", "tower": "query", "embedding_dim": 4, "max_length": 4},
               {"name": "tags", "kind": "list", "tower": "query", "embedding_dim": 4, "max_length": 3},
               {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 4}
             ],
             "towers": {"query": {"layers": [4]}, "candidate": {"layers": [4]}},
             "tasks": {"retrieval": {}}}
            """;

    private static final List<String> EXTRA = List.of("device", "age", "score", "words", "tags");

    /** 300 seeded rows: skewed users and items, a few missing scores, repeated words and tags. */
    private static Interactions rows() {
        Rng rng = new Rng(5);
        String[] words = {"red", "big", "red car", "the big red", "", "car"};
        Interactions.Builder b = Interactions.builder().hasTimestamps(true).extraColumns(EXTRA);
        for (int r = 0; r < 300; r++) {
            int user = Math.min(rng.nextInt(20), rng.nextInt(20));
            int item = rng.nextInt(12);
            String score = rng.nextInt(10) == 0 ? "" : Double.toString(rng.nextInt(40) / 4.0 - 2.5);
            b.add(user, item, 0f, 880_000_000L + rng.nextInt(100_000), new String[] {"d" + rng.nextInt(4),
                    Integer.toString(18 + rng.nextInt(7)), score, words[rng.nextInt(words.length)],
                    "a|b|" + rng.nextInt(3)});
        }
        List<String> users = new java.util.ArrayList<>();
        for (int u = 0; u < 20; u++) {
            users.add("user" + u);
        }
        List<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            items.add("item" + i);
        }
        return b.build(IdMapping.of(users), IdMapping.of(items));
    }

    /** Every feature's statistics over the rows in {@code parts} consecutive parts, merged in order. */
    private static Map<String, FeatureStatistics> statistics(FeatureSpec spec, FeatureSource source, Interactions all,
                                                             int parts) {
        Map<String, FeatureStatistics> out = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features()) {
            boolean query = f.tower().equals(FeatureDefinition.QUERY);
            String[] values = query ? source.queryValues(f, all) : source.candidateValues(f);
            FeatureStatistics merged = null;
            for (int p = 0; p < parts; p++) {
                FeatureStatistics part = FeatureStatistics.of(f);
                for (int r = p * values.length / parts; r < (p + 1) * values.length / parts; r++) {
                    part.add(f, values[r], "row " + (r + 1));
                }
                merged = merged == null ? part : merged.merge(part);
            }
            out.put(f.name(), merged);
        }
        return out;
    }

    @Test
    void oneMergedPartAdaptsTheEncoderTheValuesAdaptBitForBit() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(SPEC), "spec");
        Interactions all = rows();
        FeatureSource source = FeatureSource.of(spec, all, null, null);
        ObjectNode expected = FeatureEncoder.adapt(source, all).toJson();
        assertThat(FeatureEncoder.adapt(spec, statistics(spec, source, all, 1)).toJson()).isEqualTo(expected);
    }

    @Test
    void partsMergedInAnyNumberGiveTheSameVocabulariesAndBucketsAndTheNormalisationToRounding() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(SPEC), "spec");
        Interactions all = rows();
        FeatureSource source = FeatureSource.of(spec, all, null, null);
        JsonNode expected = FeatureEncoder.adapt(source, all).toJson().get("features");
        for (int parts : new int[] {2, 3, 7, 300}) {
            JsonNode got = FeatureEncoder.adapt(spec, statistics(spec, source, all, parts)).toJson().get("features");
            for (FeatureDefinition f : spec.features()) {
                JsonNode e = expected.get(f.name());
                JsonNode g = got.get(f.name());
                assertThat(g.get("lookup")).as(f.name() + " in " + parts + " parts").isEqualTo(e.get("lookup"));
                assertThat(g.get("discretization")).as(f.name()).isEqualTo(e.get("discretization"));
                if (e.has("normalization")) {
                    for (String field : List.of("mean", "variance")) {
                        double x = e.get("normalization").get(field).get(0).asDouble();
                        double y = g.get("normalization").get(field).get(0).asDouble();
                        assertThat(y).as(f.name() + " " + field).isCloseTo(x, org.assertj.core.data.Offset.offset(
                                1e-9 * Math.max(1, Math.abs(x))));
                    }
                }
            }
        }
        // The vocabulary is really cut by max_tokens and ordered by count: not a vacuous comparison.
        assertThat(expected.get("u").get("lookup").get("vocabulary").size()).isEqualTo(8);
    }

    @Test
    void quantilesOfCountsAreTheQuantilesOfTheValuesOneByOne() {
        Rng rng = new Rng(9);
        double[] values = new double[1000];
        for (int k = 0; k < values.length; k++) {
            values[k] = rng.nextInt(37) * 0.5;
        }
        for (int bins : new int[] {1, 2, 5, 10, 64}) {
            Discretization byValues = Discretization.builder(bins).adapt(values).build();
            java.util.TreeMap<Double, Long> counts = new java.util.TreeMap<>();
            for (double v : values) {
                counts.merge(v, 1L, Long::sum);
            }
            double[] distinct = counts.keySet().stream().mapToDouble(Double::doubleValue).toArray();
            long[] n = counts.values().stream().mapToLong(Long::longValue).toArray();
            assertThat(Discretization.quantiles(distinct, n, bins).boundaries()).as(bins + " bins")
                    .containsExactly(byValues.boundaries());
        }
        assertThatThrownBy(() -> Discretization.quantiles(new double[] {2, 1}, new long[] {1, 1}, 3))
                .hasMessageContaining("value 1 (1.0, count 1) is not ascending");
    }

    @Test
    void badValuesAreNamedWithTheirFeatureAndRow() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(SPEC), "spec");
        FeatureDefinition age = spec.features().get(2);
        assertThatThrownBy(() -> FeatureStatistics.of(age).add(age, "old", "training row 7"))
                .hasMessageContaining("feature 'age'").hasMessageContaining("training row 7 has 'old'");
        FeatureDefinition score = spec.features().get(4);
        assertThatThrownBy(() -> FeatureEncoder.adapt(spec, Map.of("u", FeatureStatistics.of(spec.features().get(0)))))
                .hasMessageContaining("feature 'device': no statistics");
        FeatureStatistics blank = FeatureStatistics.of(score).add(score, " ", "row 1");
        Map<String, FeatureStatistics> all = new LinkedHashMap<>();
        for (FeatureDefinition f : spec.features()) {
            all.put(f.name(), f == score ? blank : FeatureStatistics.of(f).add(f, f.kind().numeric() || f.kind() == FeatureKind.INTEGER ? "1" : "x", "r"));
        }
        assertThatThrownBy(() -> FeatureEncoder.adapt(spec, all)).hasMessageContaining("feature 'score'")
                .hasMessageContaining("every training value is missing");
    }
}
