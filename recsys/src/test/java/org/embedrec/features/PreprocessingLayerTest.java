package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessingLayerTest {

    @Test
    void readsEveryLayerBackByItsType() {
        List<PreprocessingLayer> layers = List.of(
                StringLookup.builder().maskToken("").adapt(new String[] {"a", "b", "a"}).build(),
                IntegerLookup.builder().adapt(new int[] {5, 6, 6}).build(),
                new Hashing(100, 1),
                Discretization.equalWidth(0, 1, 10),
                Normalization.builder().adapt(new double[] {1, 2, 4}).build(),
                TextVectorization.builder(5).adapt(new String[] {"Toy Story (1995)"}).build(),
                new CategoryCross(1000, 2));
        for (PreprocessingLayer layer : layers) {
            String json = JsonRoundTrip.write(layer);
            assertThat(json).startsWith("{\"type\":\"" + layer.getClass().getSimpleName() + "\",\"version\":1,");
            PreprocessingLayer back = PreprocessingLayer.fromJson(JsonRoundTrip.parse(json));
            assertThat(back).isEqualTo(layer).hasSameHashCodeAs(layer);
        }
    }

    @Test
    void reportsWhatIsWrongWithTheJson() {
        assertThatThrownBy(() -> PreprocessingLayer.fromJson(JsonRoundTrip.parse("[1]")))
                .hasMessageContaining("expected an object, got ARRAY");
        assertThatThrownBy(() -> PreprocessingLayer.fromJson(JsonRoundTrip.parse("{\"version\":1}")))
                .hasMessageContaining("field \"type\" missing");
        assertThatThrownBy(() -> PreprocessingLayer.fromJson(JsonRoundTrip.parse("{\"type\":\"Embedding\"}")))
                .hasMessageContaining("unknown \"type\" \"Embedding\"");
        assertThatThrownBy(() -> PreprocessingLayer.fromJson(JsonRoundTrip.parse(
                "{\"type\":\"Hashing\",\"version\":2,\"numBins\":3,\"salt\":0}")))
                .hasMessage("Hashing JSON: unsupported \"version\" 2, this build reads version 1");
    }
}
