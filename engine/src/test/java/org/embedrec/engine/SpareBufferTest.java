package org.embedrec.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spare buffer: held arrays are never handed out twice; a returned one is reused; the larger spare is kept. */
class SpareBufferTest {

    @Test
    void aHeldBufferIsNotHandedOutAgain() {
        SpareBuffer spare = new SpareBuffer();
        float[] first = spare.take(10);
        float[] second = spare.take(10);
        assertThat(second).isNotSameAs(first);
        spare.giveBack(first);
        assertThat(spare.take(10)).isSameAs(first);
        assertThat(spare.take(10)).isNotSameAs(first).isNotSameAs(second);
    }

    @Test
    void aSpareTooSmallIsReplacedAndTheLargerIsKept() {
        SpareBuffer spare = new SpareBuffer();
        float[] small = spare.take(4);
        assertThat(small).hasSize(4);
        spare.giveBack(small);
        float[] large = spare.take(9);
        assertThat(large).hasSize(9);
        spare.giveBack(large);
        spare.giveBack(new float[5]);
        assertThat(spare.take(6)).isSameAs(large);
    }
}
