package org.embedrec.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The clip that the rating metrics and the served ratings share, on hand-computed cases. */
class LabelRangeTest {
    @Test
    void clipsToTheRangeAndLeavesValuesInsideAsTheyAre() {
        LabelRange stars = new LabelRange(1f, 5f);
        assertThat(stars.clip(5.3f)).isEqualTo(5f);
        assertThat(stars.clip(0.2f)).isEqualTo(1f);
        assertThat(stars.clip(-7f)).isEqualTo(1f);
        assertThat(stars.clip(3.7f)).isEqualTo(3.7f);
        assertThat(stars.clip(1f)).isEqualTo(1f);
        assertThat(stars.clip(Float.POSITIVE_INFINITY)).isEqualTo(5f);
        assertThat(stars.clip(Float.NaN)).isNaN();
        float[] p = {5.3f, 0.2f, 3.7f};
        assertThat(stars.clipInPlace(p)).isSameAs(p).containsExactly(5f, 1f, 3.7f);
    }

    @Test
    void theMetricsClipAsTheRangeDoes() {
        // Predictions 5.3, 0.2, 3.7 against 5, 1, 4: clipped errors 0, 0, -0.3.
        Ranking.RegressionMetrics m = (Ranking.RegressionMetrics) Ranking.regression(1f, 5f)
                .metrics(new float[] {5.3f, 0.2f, 3.7f}, new float[] {5f, 1f, 4f});
        assertThat(m.mae()).isCloseTo((4f - 3.7f) / 3.0, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(Ranking.regression(1f, 5f).labelRange()).isEqualTo(new LabelRange(1f, 5f));
        assertThat(Ranking.regression().labelRange()).isNull();
        assertThat(Ranking.binary().labelRange()).isNull();
    }

    @Test
    void refusesAnEmptyOrInfiniteRange() {
        assertThatThrownBy(() -> new LabelRange(5f, 5f)).hasMessage(
                "label range [5.0, 5.0]: expected finite min < max (the training labels' smallest and largest value)");
        assertThatThrownBy(() -> new LabelRange(1f, Float.POSITIVE_INFINITY)).hasMessageContaining("finite");
        assertThatThrownBy(() -> new LabelRange(Float.NaN, 5f)).hasMessageContaining("finite");
    }
}
