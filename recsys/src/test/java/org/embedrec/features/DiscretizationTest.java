package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DiscretizationTest {

    @Test
    void explicitBoundariesFollowKerasSemantics() {
        // Buckets: (-inf, 0) -> 0, [0, 1) -> 1, [1, 2.5) -> 2, [2.5, inf) -> 3.
        Discretization d = Discretization.withBoundaries(0, 1, 2.5);
        assertThat(d.numBins()).isEqualTo(4);
        assertThat(d.bucket(new double[] {-1, 0, 0.5, 1, 2.4999, 2.5, 100}))
                .containsExactly(0, 1, 1, 2, 2, 3, 3);
        assertThat(Discretization.withBoundaries().bucket(5.0)).isZero();
    }

    @Test
    void equalWidthEdgesIncludingMinAndMax() {
        // [0, 10] in 5 buckets: boundaries 2, 4, 6, 8.
        Discretization d = Discretization.equalWidth(0, 10, 5);
        assertThat(d.boundaries()).containsExactly(2, 4, 6, 8);
        assertThat(d.bucket(0.0)).isZero();
        assertThat(d.bucket(1.999)).isZero();
        assertThat(d.bucket(2.0)).isEqualTo(1);
        assertThat(d.bucket(9.999)).isEqualTo(4);
        assertThat(d.bucket(10.0)).isEqualTo(4);
        assertThat(d.bucket(-5.0)).isZero();
        assertThat(d.bucket(1e9)).isEqualTo(4);
    }

    @Test
    void timestampsBucketExactlyAsLongs() {
        // MovieLens 100K's time range in 1000 buckets; width 18561.928 s, so boundary 1 is 874743271.928.
        long min = 874724710L;
        long max = 893286638L;
        Discretization d = Discretization.equalWidth(min, max, 1000);
        assertThat(d.numBins()).isEqualTo(1000);
        assertThat(d.bucket(new long[] {min, 874743271L, 874743272L, max - 1, max}))
                .containsExactly(0, 0, 1, 999, 999);
        // The same timestamps as float32 (spacing 64 s at this magnitude) cannot be told apart.
        assertThat((float) 874743271L).isEqualTo((float) 874743272L);
    }

    @Test
    void quantilesOfASmallList() {
        // Sorted 1..8, 4 bins: boundaries s[8*1/4]=s[2]=3, s[4]=5, s[6]=7; two values per bucket.
        Discretization d = Discretization.builder(4).adapt(new double[] {8, 3, 1, 6}).adapt(new long[] {2, 7, 5, 4}).build();
        assertThat(d.boundaries()).containsExactly(3, 5, 7);
        assertThat(d.bucket(new double[] {1, 2, 3, 4, 5, 6, 7, 8})).containsExactly(0, 0, 1, 1, 2, 2, 3, 3);
        // 0..9 in 3 bins: s[floor(10/3)]=s[3]=3, s[floor(20/3)]=s[6]=6; bucket sizes 3, 3, 4.
        double[] tens = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertThat(Discretization.builder(3).adapt(tens).build().boundaries()).containsExactly(3, 6);
    }

    @Test
    void tiedQuantilesAreDropped() {
        // s = 1,2,2,2,2,3 in 3 bins: s[2]=2, s[4]=2 repeats -> one boundary, 2 buckets.
        Discretization d = Discretization.builder(3).adapt(new double[] {2, 1, 2, 3, 2, 2}).build();
        assertThat(d.boundaries()).containsExactly(2);
        // s = 1,1,1,1,2 in 2 bins: s[2] = 1 is the minimum -> no boundary, 1 bucket.
        assertThat(Discretization.builder(2).adapt(new double[] {1, 1, 1, 1, 2}).build().numBins()).isEqualTo(1);
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> Discretization.withBoundaries(1, 1))
                .hasMessageContaining("strictly increasing, but boundary 1 (1.0) <= boundary 0 (1.0)");
        assertThatThrownBy(() -> Discretization.withBoundaries(0, Double.NaN))
                .hasMessageContaining("boundary 1 is NaN");
        assertThatThrownBy(() -> Discretization.equalWidth(5, 5, 10)).hasMessageContaining("expected finite min < max");
        assertThatThrownBy(() -> Discretization.equalWidth(0, 1, 0)).hasMessageContaining("numBins must be >= 1");
        assertThatThrownBy(() -> Discretization.builder(3).build()).hasMessageContaining("no values adapted");
        assertThatThrownBy(() -> Discretization.builder(3).adapt(new double[] {1, Double.NaN}))
                .hasMessageContaining("position 1 is NaN");
        assertThatThrownBy(() -> Discretization.withBoundaries(1).bucket(new double[] {0, Double.NaN}, new int[2]))
                .hasMessageContaining("position 1 is NaN");
    }

    @Test
    void jsonRoundTripKeepsFullPrecision() {
        Discretization d = Discretization.equalWidth(874724710L, 893286638L, 1000);
        Discretization back = Discretization.fromJson(JsonRoundTrip.throughText(d));
        assertThat(back).isEqualTo(d);
        assertThat(back.boundaries()).containsExactly(d.boundaries());
        assertThatThrownBy(() -> Discretization.fromJson(JsonRoundTrip.parse(
                "{\"type\":\"Discretization\",\"version\":1,\"boundaries\":[2,1]}")))
                .hasMessageStartingWith("Discretization JSON: Discretization: boundaries must be strictly increasing");
    }

    @Test
    void linspaceIsNumpysWithTheLastBoundaryExactlyTheMaximum() {
        // np.linspace(0, 1, 4) = [0, 1/3, 2/3, 1]: 5 buckets, bucket 0 below the minimum.
        Discretization d = Discretization.linspace(0, 1, 4);
        assertThat(d.boundaries()).containsExactly(0.0, 1.0 / 3, 2 * (1.0 / 3), 1.0);
        assertThat(d.numBins()).isEqualTo(5);
        assertThat(d.bucket(new double[] {-0.5, 0.0, 0.5, 0.99, 1.0, 7.0})).containsExactly(0, 1, 2, 3, 4, 4);
        assertThat(Discretization.linspace(3, 3, 10).boundaries()).containsExactly(3.0);
        assertThatThrownBy(() -> Discretization.linspace(2, 1, 3)).hasMessageContaining("min <= max");
    }
}
