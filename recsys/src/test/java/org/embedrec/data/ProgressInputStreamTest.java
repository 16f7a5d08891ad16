package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The counting stream under the readers: every byte read is reported once, in chunks. */
class ProgressInputStreamTest {

    /**
     * Whatever mix of single-byte reads, bulk reads and skips consumes the stream, the advances
     * add up to the bytes consumed, and all but the last are at least a chunk.
     * @param steps read sizes: 0 a single-byte read, negative a skip of that many, positive a bulk read
     */
    @Property(tries = 200)
    void reportsEveryByteConsumedOnceInChunks(@ForAll @IntRange(min = 0, max = 400_000) int length,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = -30_000, max = 100_000) Integer> steps)
            throws IOException {
        RecordedProgress p = new RecordedProgress();
        p.begin("bytes", length, ReadProgress.Unit.BYTES);
        byte[] buffer = new byte[100_000];
        long consumed = 0;
        try (InputStream in = new ProgressInputStream(new ByteArrayInputStream(new byte[length]), p)) {
            for (int step : steps) {
                if (step == 0) {
                    consumed += in.read() < 0 ? 0 : 1;
                } else if (step < 0) {
                    consumed += in.skip(-step);
                } else {
                    consumed += Math.max(in.read(buffer, 0, step), 0);
                }
            }
            assertThat(p.done()).isLessThanOrEqualTo(consumed).isGreaterThan(consumed - ProgressInputStream.CHUNK);
        }

        assertThat(p.done()).isEqualTo(consumed);
        if (!p.advances.isEmpty()) {
            assertThat(p.advances.subList(0, p.advances.size() - 1)).allMatch(a -> a >= ProgressInputStream.CHUNK);
        }
    }

    @Test
    void endOfStreamReportsTheRestBeforeClose() throws IOException {
        RecordedProgress p = new RecordedProgress();
        p.begin("bytes", 10, ReadProgress.Unit.BYTES);
        InputStream in = new ProgressInputStream(new ByteArrayInputStream(new byte[10]), p);

        assertThat(in.read(new byte[64])).isEqualTo(10);
        assertThat(p.advances).isEmpty();
        assertThat(in.read(new byte[64])).isEqualTo(-1);

        assertThat(p.advances).containsExactly(10L);
        in.close();
        assertThat(p.advances).containsExactly(10L);
    }

    @Test
    void refusesMarkAndResetWhichWouldCountBytesTwice() {
        InputStream in = new ProgressInputStream(new ByteArrayInputStream(new byte[10]), ReadProgress.NONE);

        assertThat(in.markSupported()).isFalse();
        assertThatThrownBy(in::reset).isInstanceOf(IOException.class).hasMessageContaining("mark/reset");
    }
}
