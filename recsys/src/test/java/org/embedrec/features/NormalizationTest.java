package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void meanAndPopulationVariance() {
        // 1, 2, 3, 4: mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25, std 1.1180340.
        Normalization n = Normalization.builder().adapt(new double[] {1, 2, 3, 4}).build();
        assertThat(n.mean()).containsExactly(2.5);
        assertThat(n.variance()[0]).isCloseTo(1.25, within(1e-15));
        // (1 - 2.5) / 1.1180340 = -1.3416408; (4 - 2.5) / 1.1180340 = 1.3416408.
        assertThat(n.transform(new double[] {1, 2.5, 4})).containsExactly(-1.3416408f, 0f, 1.3416408f);
        assertThat(n.normalize(1)).isCloseTo(-1.3416408f, within(1e-6f));
    }

    @Test
    void zeroVarianceOnlyCentres() {
        Normalization n = Normalization.builder().adapt(new float[] {5, 5, 5}).build();
        assertThat(n.variance()).containsExactly(0.0);
        assertThat(n.normalize(5)).isZero();
        assertThat(n.normalize(7)).isEqualTo(2f);
    }

    @Test
    void perFeatureColumns() {
        // Rows (1, 10), (3, 30): means 2 and 20, variances 1 and 100.
        Normalization n = Normalization.builder(2).adapt(new double[] {1, 10, 3, 30}).build();
        assertThat(n.mean()).containsExactly(2, 20);
        assertThat(n.variance()).containsExactly(1, 100);
        // Row (3, 0) -> ((3-2)/1, (0-20)/10) = (1, -2).
        assertThat(n.transform(new double[] {3, 0})).containsExactly(1f, -2f);
        assertThatThrownBy(() -> n.normalize(1.0)).hasMessageContaining("needs 1 feature, this layer has 2");
        assertThatThrownBy(() -> n.transform(new double[] {1, 2, 3})).hasMessageContaining("3 values is not a whole number of rows of 2");
    }

    @Test
    void mergingBuildersEqualsAdaptingAll() {
        Normalization.Builder a = Normalization.builder().adapt(new double[] {1, 2});
        Normalization.Builder b = Normalization.builder().adapt(new double[] {3, 4, 10});
        Normalization merged = a.merge(b).build();
        Normalization all = Normalization.builder().adapt(new double[] {1, 2, 3, 4, 10}).build();
        assertThat(merged.mean()[0]).isCloseTo(all.mean()[0], within(1e-12));
        assertThat(merged.variance()[0]).isCloseTo(all.variance()[0], within(1e-12));
        // 1, 2, 3, 4, 10: mean 4, variance (9 + 4 + 1 + 0 + 36) / 5 = 10.
        assertThat(all.mean()[0]).isCloseTo(4, within(1e-12));
        assertThat(all.variance()[0]).isCloseTo(10, within(1e-12));
    }

    @Test
    void timestampsKeepPrecision() {
        // Two timestamps 2 s apart near 8.7e8: mean in the middle, variance 1.
        Normalization n = Normalization.builder().adapt(new long[] {874724710L, 874724712L}).build();
        assertThat(n.mean()).containsExactly(874724711.0);
        assertThat(n.variance()).containsExactly(1.0);
        assertThat(n.transform(new long[] {874724710L, 874724711L, 874724712L})).containsExactly(-1f, 0f, 1f);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Normalization.builder().build()).hasMessageContaining("no values adapted");
        assertThatThrownBy(() -> Normalization.builder().adapt(new double[] {1, Double.POSITIVE_INFINITY}))
                .hasMessageContaining("position 1 is Infinity");
        assertThatThrownBy(() -> Normalization.of(new double[] {0}, new double[] {-1}))
                .hasMessageContaining("variance of feature 0 is -1.0");
        assertThatThrownBy(() -> Normalization.of(new double[] {0, 1}, new double[] {1}))
                .hasMessageContaining("mean has 2 entries and variance 1");
        assertThatThrownBy(() -> Normalization.builder(2).merge(Normalization.builder()))
                .hasMessageContaining("cannot merge 1 features into 2");
    }

    @Test
    void jsonRoundTrip() {
        Normalization n = Normalization.builder(2).adapt(new double[] {874724710.5, 0.1, 893286638.25, 0.7}).build();
        assertThat(Normalization.fromJson(JsonRoundTrip.throughText(n))).isEqualTo(n);
        assertThat(Normalization.fromJson(Normalization.of(new double[] {1}, new double[] {2}).toJson()))
                .isEqualTo(Normalization.of(new double[] {1}, new double[] {2}));
    }
}
