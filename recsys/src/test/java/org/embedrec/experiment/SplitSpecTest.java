package org.embedrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLensFixtures;
import org.embedrec.data.movielens.MovieLensReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SplitSpecTest {

    @Test
    void parsesEachForm() {
        assertThat(SplitSpec.parse("random:0.8")).isEqualTo(new SplitSpec.RandomRatio(0.8));
        assertThat(SplitSpec.parse(" temporal:0.9 ")).isEqualTo(new SplitSpec.Temporal(0.9));
        assertThat(SplitSpec.parse("leave-last-out")).isEqualTo(new SplitSpec.LeaveLastOut());
        assertThat(SplitSpec.parse("ml-100k:ub")).isEqualTo(new SplitSpec.Canonical("ub"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"random:0.8", "temporal:0.25", "leave-last-out", "ml-100k:u3"})
    void toStringGivesTheSpecBack(String spec) {
        assertThat(SplitSpec.parse(spec).toString()).isEqualTo(spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "random|bad split spec 'random': expected random:RATIO with RATIO in (0, 1), e.g. random:0.8",
        "random:abc|bad split spec 'random:abc': expected a number in (0, 1) after 'random:', got 'abc'",
        "temporal:1.5|bad split spec 'temporal:1.5': the train ratio must be in (0, 1), got 1.5",
        "random:0|bad split spec 'random:0': the train ratio must be in (0, 1), got 0",
        "leave-last-out:3|bad split spec 'leave-last-out:3': leave-last-out takes no argument",
        "ml-100k:u7|bad split spec 'ml-100k:u7': expected ml-100k:NAME with NAME one of u1, u2, u3, u4, u5, ua, ub",
        "kfold:5|bad split spec 'kfold:5': expected random:RATIO, temporal:RATIO (RATIO in (0, 1)), leave-last-out,"
            + " or ml-100k:NAME (NAME one of u1, u2, u3, u4, u5, ua, ub)"})
    void badSpecsSayWhatWasExpected(String spec, String message) {
        assertThatThrownBy(() -> SplitSpec.parse(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void emptySpec() {
        assertThatThrownBy(() -> SplitSpec.parse(" ")).hasMessageStartingWith("empty split spec: expected random:RATIO");
    }

    @Test
    void appliesToData(@TempDir Path dir) {
        RatingsData data = MovieLensReader.read(MovieLensFixtures.ml100k(dir));

        assertThat(SplitSpec.parse("ml-100k:u1").apply(data, 0).test().size()).isEqualTo(3);
        assertThat(SplitSpec.parse("leave-last-out").apply(data, 0).test().size()).isEqualTo(3);
        assertThat(SplitSpec.parse("temporal:0.5").apply(data, 0).train().size()).isEqualTo(4);
        Split a = SplitSpec.parse("random:0.5").apply(data, 3);
        assertThat(a.train().itemIds()).isEqualTo(SplitSpec.parse("random:0.5").apply(data, 3).train().itemIds());
    }
}
