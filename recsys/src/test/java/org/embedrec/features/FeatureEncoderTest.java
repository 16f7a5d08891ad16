package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.junit.jupiter.api.Test;

/** The encoder: adapted on the training rows only, unknown values to OOV, missing numbers, saved and read back. */
class FeatureEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SPEC = """
            {"data": {"user": "u", "item": "i", "items": {"path": "items.csv", "id": "i"}},
             "features": [
               {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 4},
               {"name": "device", "kind": "string", "tower": "query", "embedding_dim": 4},
               {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 4},
               {"name": "price", "kind": "numeric", "tower": "candidate", "normalize": false,
                "discretize": {"boundaries": [10, 20]}},
               {"name": "tags", "kind": "list", "tower": "candidate", "max_length": 3}
             ],
             "crosses": [{"features": ["u", "device"], "buckets": 7, "embedding_dim": 2}],
             "towers": {"query": {"layers": [4]}, "candidate": {"layers": [4]}},
             "tasks": {"retrieval": {}}}
            """;

    /** Rows (user, item, device): a,x,phone / b,y,tv / a,z,tablet; the last row is held out. */
    private static Interactions rows() {
        Interactions.Builder b = Interactions.builder().extraColumns(List.of("device"));
        b.add(0, 0, 0f, 0L, new String[] {"phone"});
        b.add(1, 1, 0f, 0L, new String[] {"tv"});
        b.add(0, 2, 0f, 0L, new String[] {"tablet"});
        return b.build(IdMapping.of(List.of("a", "b")), IdMapping.of(List.of("x", "y", "z")));
    }

    private static AttributeTable items() {
        return AttributeTable.of("items", List.of("i", "price", "tags"), "i", List.of(
                new String[] {"x", "5", "red|big"},
                new String[] {"y", "", "blue"},
                new String[] {"z", "25", "red|green"},
                new String[] {"w", "15", "new"}));
    }

    @Test
    void valuesSeenOnlyOutsideTrainingGoToTheOutOfVocabularyIdAndMissingNumbersToTheirOwnBucket() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(SPEC), "spec");
        Interactions all = rows();
        FeatureSource source = FeatureSource.of(spec, all, items(), null);
        FeatureEncoder encoder = FeatureEncoder.adapt(source, all.select(new int[] {0, 1}));

        EncodedFeatures q = encoder.encodeQueries(source, all);
        int[] device = ((EncodedFeatures.Ids) q.inputs().get(1)).ids();
        assertThat(device[2]).as("tablet, held out only").isEqualTo(0);
        assertThat(device[0]).isNotEqualTo(device[1]).isPositive();

        // The catalogue: the three bought items, then 'w' from the item table.
        assertThat(source.catalogueIds()).containsExactly("x", "y", "z", "w");
        EncodedFeatures c = encoder.encodeCandidates(source);
        int[] item = ((EncodedFeatures.Ids) c.inputs().get(0)).ids();
        assertThat(item[2]).as("z, never in training").isEqualTo(0);
        assertThat(item[3]).as("w, never bought").isEqualTo(0);
        EncodedFeatures.Ids price = (EncodedFeatures.Ids) c.inputs().get(1);
        assertThat(price.vocabularySize()).as("3 buckets and one for missing").isEqualTo(4);
        assertThat(price.ids()).containsExactly(0, 3, 2, 1);
        EncodedFeatures.Ids tags = (EncodedFeatures.Ids) c.inputs().get(2);
        assertThat(tags.width()).isEqualTo(3);
        // 'green' and 'new' were never on a training item: OOV (1, after the mask 0); padding is 0.
        assertThat(tags.ids()[2 * 3 + 1]).isEqualTo(1);
        assertThat(tags.ids()[3 * 3]).isEqualTo(1);
        assertThat(tags.ids()[3 * 3 + 1]).isZero();

        assertThat(encoder.towerInputs(FeatureDefinition.QUERY)).extracting(TowerInput::name)
                .containsExactly("u", "device", "u_x_device");
    }

    @Test
    void linspaceBucketsAreTheTutorialsAndACatalogueAdaptedFeatureKnowsItemsNeverBought() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree("""
                {"data": {"user": "u", "item": "i", "items": {"path": "items.csv", "id": "i"}},
                 "features": [
                   {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 4},
                   {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 4, "adapt_on": "catalogue"},
                   {"name": "price", "kind": "numeric", "tower": "candidate", "normalize": false,
                    "discretize": {"bins": 4, "method": "linspace"}}
                 ],
                 "towers": {"query": {"layers": [4]}, "candidate": {"layers": [4]}},
                 "tasks": {"retrieval": {}}}
                """), "spec");
        Interactions all = rows();
        FeatureSource source = FeatureSource.of(spec, all, items(), null);
        // Trained on x (price 5) and y (missing price): the catalogue is x, y, z (25), w (15).
        FeatureEncoder encoder = FeatureEncoder.adapt(source, all.select(new int[] {0, 1}));
        EncodedFeatures c = encoder.encodeCandidates(source);
        int[] item = ((EncodedFeatures.Ids) c.inputs().get(0)).ids();
        assertThat(item).as("every catalogue item has its own id, trained on or not").doesNotContain(0)
                .doesNotHaveDuplicates();
        // One training price, 5: np.linspace(5, 5, 3) is the boundary 5 alone; bucket 0 holds
        // prices below it and the missing one, bucket 1 the rest; no extra row for missing.
        EncodedFeatures.Ids price = (EncodedFeatures.Ids) c.inputs().get(1);
        assertThat(price.vocabularySize()).isEqualTo(2);
        assertThat(price.ids()).containsExactly(1, 0, 1, 1);
        assertThat(encoder.towerInputs(FeatureDefinition.CANDIDATE).get(1).vocabularySize()).isEqualTo(2);
    }

    @Test
    void theAdaptedStateReadsBackAndEncodesTheSame() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(SPEC), "spec");
        Interactions all = rows();
        FeatureSource source = FeatureSource.of(spec, all, items(), null);
        FeatureEncoder encoder = FeatureEncoder.adapt(source, all.select(new int[] {0, 1}));
        FeatureEncoder again = FeatureEncoder.fromJson(spec, JSON.readTree(encoder.toJson().toString()));
        Map<String, String[]> raw = Map.of("u", new String[] {"a", "nobody"}, "device", new String[] {"tv", "tv"});
        assertThat(again.encode(FeatureDefinition.QUERY, raw, 2, "row ").inputs())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(encoder.encode(FeatureDefinition.QUERY, raw, 2, "row ").inputs());
        assertThat(again.toJson()).isEqualTo(encoder.toJson());
    }

    @Test
    void aValueThatIsNoNumberIsNamedWithItsRow() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree(SPEC), "spec");
        Interactions all = rows();
        AttributeTable bad = AttributeTable.of("items", List.of("i", "price", "tags"), "i", List.of(
                new String[] {"x", "5", "red"}, new String[] {"y", "cheap", "blue"}, new String[] {"z", "1", "red"}));
        FeatureSource source = FeatureSource.of(spec, all, bad, null);
        assertThatThrownBy(() -> FeatureEncoder.adapt(source, all))
                .hasMessageContaining("feature 'price'").hasMessageContaining("'cheap'")
                .hasMessageContaining("expected a finite number");
    }

    /** The timestamp column is read as numbers; encoded as its decimal strings would be, bit for bit. */
    @Test
    void theTimestampColumnEncodesAsItsDecimalStrings() throws Exception {
        FeatureSpec spec = FeatureSpec.fromJson(JSON.readTree("""
                {"data": {"user": "u", "item": "i", "timestamp": "t"},
                 "features": [
                   {"name": "u", "kind": "string", "tower": "query", "embedding_dim": 4},
                   {"name": "t", "kind": "timestamp", "tower": "query", "discretize": {"bins": 5, "method": "quantiles"}},
                   {"name": "i", "kind": "string", "tower": "candidate", "embedding_dim": 4}
                 ],
                 "towers": {"query": {"layers": [4]}, "candidate": {"layers": [4]}},
                 "tasks": {"retrieval": {}}}
                """), "spec");
        Interactions.Builder b = Interactions.builder();
        long[] times = {1_700_000_000L, 9_007_199_254_740_993L, -5L, 123_456_789_012_345_678L, 0L, 881_250_949L};
        for (int r = 0; r < times.length; r++) {
            b.add(r % 2, r % 3, 0f, times[r]);
        }
        Interactions all = b.build(IdMapping.of(List.of("a", "b")), IdMapping.of(List.of("x", "y", "z")));
        FeatureSource source = FeatureSource.of(spec, all, null, null);
        FeatureEncoder encoder = FeatureEncoder.adapt(source, all);
        String[] users = new String[times.length];
        String[] text = new String[times.length];
        for (int r = 0; r < times.length; r++) {
            users[r] = all.users().rawId(all.user(r));
            text[r] = Long.toString(times[r]);
        }

        EncodedFeatures fromNumbers = encoder.encodeQueries(source, all);
        EncodedFeatures fromText = encoder.encode(FeatureDefinition.QUERY, Map.of("u", users, "t", text), times.length,
                "row ");
        assertThat(fromNumbers.inputs()).hasSameSizeAs(fromText.inputs()).hasSizeGreaterThan(2);
        for (int k = 0; k < fromText.inputs().size(); k++) {
            assertThat(fromNumbers.inputs().get(k)).usingRecursiveComparison().isEqualTo(fromText.inputs().get(k));
        }
    }
}
