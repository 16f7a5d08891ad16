package org.embedrec.models.sequential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * SASRec's two ways to start: {@code reference-tf} is the layers' own start, bit for bit; {@code
 * xavier-normal} gives each table and kernel the PyTorch reference's spread (the attention's
 * projections with the fans of one stacked {@code [3 d, d]} matrix, positions with the reference's
 * padding row counted), zero padding row and attention biases, {@code nn.Linear}'s feed-forward
 * biases and untouched layer norms; names parse and bad ones are refused.
 */
class SasRecInitTest {
    private static final int ITEMS = 3000;
    private static final int DIM = 64;
    private static final int MAX_LENGTH = 400;

    @Test
    void referenceTfIsTheLayersOwnStart() {
        SasRec plain = new SasRec(50, 8, 2, 2, 10, 0.2, new Rng(7));
        SasRec named = new SasRec(50, 8, 2, 2, 10, 0.2, SasRecInit.REFERENCE_TF, new Rng(7));
        Map<String, Parameter> expected = plain.namedParameters();
        named.namedParameters().forEach((name, p) ->
                assertThat(p.value().data()).as(name).containsExactly(expected.get(name).value().data()));
    }

    @Test
    void xavierNormalGivesEachWeightThePyTorchReferenceSpread() {
        SasRec model = new SasRec(ITEMS, DIM, 2, 1, MAX_LENGTH, 0.2, SasRecInit.XAVIER_NORMAL, new Rng(3));
        Map<String, Parameter> p = model.namedParameters();

        float[] items = p.get("items/embeddings").value().data();
        assertThat(java.util.Arrays.copyOf(items, DIM)).as("padding row").containsOnly(0f);
        assertSpread(java.util.Arrays.copyOfRange(items, DIM, items.length), Math.sqrt(2.0 / (ITEMS + 1 + DIM)));
        assertSpread(p.get("positions/embeddings").value().data(), Math.sqrt(2.0 / (MAX_LENGTH + 1 + DIM)));
        for (String block : new String[] {"block_0", "block_1"}) {
            for (String projection : new String[] {"query", "key", "value"}) {
                assertSpread(p.get(block + "/attention/" + projection + "/kernel").value().data(),
                        Math.sqrt(2.0 / (4 * DIM)));
                assertThat(p.get(block + "/attention/" + projection + "/bias").value().data()).containsOnly(0f);
            }
            assertSpread(p.get(block + "/attention/attention_output/kernel").value().data(), Math.sqrt(1.0 / DIM));
            assertThat(p.get(block + "/attention/attention_output/bias").value().data()).containsOnly(0f);
            for (String dense : new String[] {"inner", "outer"}) {
                assertSpread(p.get(block + "/" + dense + "/kernel").value().data(), Math.sqrt(1.0 / DIM));
                float[] bias = p.get(block + "/" + dense + "/bias").value().data();
                float bound = (float) (1 / Math.sqrt(DIM));
                for (float b : bias) {
                    assertThat(Math.abs(b)).as("%s bias", dense).isLessThanOrEqualTo(bound);
                }
                assertThat(max(bias)).as("%s bias reaches towards its bound", dense).isGreaterThan(bound / 2);
            }
            assertThat(p.get(block + "/attention_norm/gamma").value().data()).containsOnly(1f);
            assertThat(p.get(block + "/forward_norm/beta").value().data()).containsOnly(0f);
        }
        assertThat(p.get("last_norm/gamma").value().data()).containsOnly(1f);
    }

    @Test
    void oneSeedGivesOneStart() {
        SasRec a = new SasRec(40, 8, 1, 1, 6, 0.2, SasRecInit.XAVIER_NORMAL, new Rng(5));
        SasRec b = new SasRec(40, 8, 1, 1, 6, 0.2, SasRecInit.XAVIER_NORMAL, new Rng(5));
        Map<String, Parameter> expected = a.namedParameters();
        b.namedParameters().forEach((name, p) ->
                assertThat(p.value().data()).as(name).containsExactly(expected.get(name).value().data()));
    }

    @Test
    void namesParseAndOnlySasRecTakesThem() {
        assertThat(SasRecInit.parse(" Xavier-Normal")).isEqualTo(SasRecInit.XAVIER_NORMAL);
        assertThat(SasRecInit.parse("reference-tf")).isEqualTo(SasRecInit.REFERENCE_TF);
        assertThatThrownBy(() -> SasRecInit.parse("he"))
                .hasMessage("unknown init 'he': expected reference-tf or xavier-normal");
        assertThatThrownBy(() -> new SequentialConfig(Gru4Rec.NAME, 8, 1, 1, 5, 0.0, 0.01, 4, 1, NextItemLoss.SOFTMAX,
                1, 1L, 0, false, SasRecInit.XAVIER_NORMAL))
                .hasMessage("gru4rec: init applies to sasrec only, not gru4rec");
        assertThat(SequentialConfig.defaults(SasRec.NAME).init()).isEqualTo(SasRecInit.XAVIER_NORMAL);
        assertThat(SequentialConfig.defaults(Gru4Rec.NAME).init()).isEqualTo(SasRecInit.REFERENCE_TF);
        assertThat(new SequentialConfig(SasRec.NAME, 8, 1, 1, 5, 0.0, 0.01, 4, 1, NextItemLoss.SOFTMAX, 1, 1L, 0,
                false, null).init()).as("a configuration saved before init existed").isEqualTo(SasRecInit.REFERENCE_TF);
    }

    /** Mean near zero and standard deviation within 5% of {@code stddev} (thousands of draws each). */
    private static void assertSpread(float[] values, double stddev) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        double sd = Math.sqrt(squares / values.length - mean * mean);
        assertThat(mean).isCloseTo(0, within(4 * stddev / Math.sqrt(values.length)));
        assertThat(sd).isCloseTo(stddev, within(0.05 * stddev));
    }

    private static float max(float[] values) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
