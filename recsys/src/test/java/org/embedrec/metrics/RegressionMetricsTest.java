package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

    @Test
    void rootMeanSquaredError() {
        // Errors 0, -1, -2; squares 0, 1, 4; mean 5/3; root sqrt(5/3) = 1.2909944487.
        assertThat(RootMeanSquaredError.compute(new float[] {1, 2, 3}, new float[] {1, 3, 5}))
                .isCloseTo(Math.sqrt(5.0 / 3.0), within(1e-12));
        // Over two batches it is the root of the overall mean, not the mean of per-batch roots:
        // batch 1 squares 0, 1; batch 2 square 4; sqrt(5/3) again (mean of roots would be (0.707 + 2) / 2).
        RootMeanSquaredError rmse = new RootMeanSquaredError();
        rmse.update(new float[] {1, 2}, new float[] {1, 3});
        rmse.update(new double[] {3}, new double[] {5});
        assertThat(rmse.result()).isCloseTo(1.2909944487, within(1e-9));
        assertThat(rmse.count()).isEqualTo(3);
        assertThat(rmse.name()).isEqualTo("rmse");
        rmse.reset();
        assertThat(rmse.result()).isNaN();
    }

    @Test
    void meanAbsoluteError() {
        // |0| + |-1| + |-2| = 3, over 3 examples = 1.
        assertThat(MeanAbsoluteError.compute(new float[] {1, 2, 3}, new float[] {1, 3, 5})).isEqualTo(1.0);
        // Ratings: |3.5-4| + |2-1| + |5-5| + |1-2.5| = 0.5 + 1 + 0 + 1.5 = 3, over 4 = 0.75.
        assertThat(MeanAbsoluteError.compute(new double[] {3.5, 2, 5, 1}, new double[] {4, 1, 5, 2.5})).isEqualTo(0.75);
    }

    @Test
    void emptyInputIsNaN() {
        assertThat(RootMeanSquaredError.compute(new float[0], new float[0])).isNaN();
        assertThat(MeanAbsoluteError.compute(new float[0], new float[0])).isNaN();
        assertThat(new MeanAbsoluteError().result()).isNaN();
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> RootMeanSquaredError.compute(new float[2], new float[3]))
                .hasMessage("rmse: 2 predictions but 3 targets");
        assertThatThrownBy(() -> MeanAbsoluteError.compute(new float[] {1, Float.NaN}, new float[2]))
                .hasMessage("mae: prediction at position 1 is NaN");
    }
}
