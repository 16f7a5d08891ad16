package org.embedrec.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RawValuesTest {
    private static final FeatureDefinition TIME = new FeatureDefinition("time", "timestamp", FeatureKind.TIMESTAMP,
            FeatureDefinition.QUERY, 8, 0, 0, 0, null, 0, null, true, null);

    /** The fast path must give Double.parseDouble's bits, also past 2^53 where doubles round. */
    @Property
    void plainIntegersReadAsParseDoubleReadsThem(@ForAll @LongRange(min = -999_999_999_999_999_999L,
            max = 999_999_999_999_999_999L) long value, @ForAll @IntRange(min = 0, max = 2) int zeros,
                                                 @ForAll boolean plus) {
        String digits = "0".repeat(zeros) + Math.abs(value);
        String text = (value < 0 ? "-" : plus ? "+" : "") + (digits.length() > 18 ? Long.toString(Math.abs(value))
                : digits);
        assertThat(Double.doubleToRawLongBits(RawValues.plainInteger(text)))
                .as(text).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
        assertThat(Double.doubleToRawLongBits(RawValues.numbers(TIME, new String[] {" " + text + " "}, "row ")[0]))
                .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(text)));
    }

    @Test
    void anythingElseGoesToTheGeneralReader() {
        for (String s : new String[] {"1.5", "1e3", "", "-", "+", "12a", "0x10", "1234567890123456789", "٣"}) {
            assertThat(RawValues.plainInteger(s)).as(s).isNaN();
        }
        assertThat(Double.doubleToRawLongBits(RawValues.plainInteger("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(RawValues.numbers(TIME, new String[] {"1.5", "1e3", "1234567890123456789", " "}, "row "))
                .containsExactly(1.5, 1000.0, 1.234567890123456789e18, Double.NaN);
    }

    @Test
    void aBadValueIsNamedByItsRow() {
        assertThatThrownBy(() -> RawValues.numbers(TIME, new String[] {"1", "2", "soon"}, "training row "))
                .hasMessageContaining("training row 3 has 'soon'");
        assertThatThrownBy(() -> RawValues.number(TIME, "NaN", "item 7")).hasMessageContaining("item 7 has 'NaN'");
    }
}
