package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void aRestoredGeneratorContinuesTheStreamIncludingACachedGaussian() {
        Rng original = new Rng(123);
        original.nextLong();
        original.nextGaussian(); // leaves the pair's second value cached
        long[] saved = original.saveState();

        Rng restored = new Rng(0);
        restored.restoreState(saved);
        for (int i = 0; i < 5; i++) {
            assertThat(restored.nextGaussian()).isEqualTo(original.nextGaussian());
            assertThat(restored.nextInt(1000)).isEqualTo(original.nextInt(1000));
        }
    }

    @Test
    void aSavedStateIsACopyThatDoesNotFollowTheGenerator() {
        Rng rng = new Rng(5);
        long[] saved = rng.saveState();
        long first = rng.nextLong();
        Rng again = new Rng(99);
        again.restoreState(saved);
        assertThat(again.nextLong()).isEqualTo(first);
        assertThatThrownBy(() -> again.restoreState(new long[3])).hasMessage("a generator's saved state is 2 longs, got 3");
    }
}
