package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.TowerInput;
import org.embedrec.nn.Parameter;
import org.junit.jupiter.api.Test;

/** A tower over encoded features: lookups, pooled bags and raw numbers concatenated, then dense layers. */
class FeatureTowerTest {
    private static final List<TowerInput> INPUTS = List.of(
            new TowerInput("user", 5, 3, false),
            new TowerInput("words", 6, 3, false),
            new TowerInput("tags", 4, 2, true),
            new TowerInput("price", 0, 0, false));

    /** Three rows: a user id, a bag of up to three words (pad 0), a bag of two tags (pad 0, summed), a price. */
    private static EncodedFeatures rows() {
        return new EncodedFeatures(3, List.of(
                new EncodedFeatures.Ids("user", new int[] {1, 4, 1}, 1, 5, -1, false),
                new EncodedFeatures.Ids("words", new int[] {2, 3, 0, 5, 0, 0, 0, 0, 0}, 3, 6, 0, true),
                new EncodedFeatures.Ids("tags", new int[] {1, 2, 3, 0, 0, 0}, 2, 4, 0, true),
                new EncodedFeatures.Values("price", new float[] {0.5f, -1f, 2f})));
    }

    @Test
    void withoutLayersTheOutputIsTheConcatenationOfLookupsMeansSumsAndValues() {
        FeatureTower tower = new FeatureTower("q", INPUTS, List.of(), new Rng(1));
        assertThat(tower.outputDim()).isEqualTo(3 + 3 + 2 + 1);
        float[] user = table(tower, "user_embedding");
        float[] words = table(tower, "words_embedding");
        float[] tags = table(tower, "tags_embedding");
        float[] out = tower.embed(rows()).data();
        // Row 0: user 1, mean of words 2 and 3, sum of tags 1 and 2, price 0.5.
        for (int j = 0; j < 3; j++) {
            assertThat(out[j]).isEqualTo(user[3 + j]);
            assertThat(out[3 + j]).isCloseTo((words[2 * 3 + j] + words[3 * 3 + j]) / 2, within(1e-6f));
        }
        for (int j = 0; j < 2; j++) {
            assertThat(out[6 + j]).isCloseTo(tags[2 + j] + tags[4 + j], within(1e-6f));
        }
        assertThat(out[8]).isEqualTo(0.5f);
        // Row 2: an empty word bag and an empty tag bag are zeros.
        for (int j = 3; j < 8; j++) {
            assertThat(out[2 * 9 + j]).isZero();
        }
    }

    @Test
    void theL2PenaltyIsTheStrengthTimesTheSquaredNormsOfWhatWasLookedUp() {
        FeatureTower tower = new FeatureTower("q", INPUTS, List.of(), 0.5f, new Rng(1));
        FeatureTower.Embedded e = tower.embedWithPenalty(rows());
        float[] out = e.output().data();
        double squares = 0;
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 8; j++) {
                // Columns 0-7 are the looked-up user, word and tag vectors; column 8 is the price.
                squares += out[r * 9 + j] * out[r * 9 + j];
            }
        }
        assertThat(e.penalty().item()).isCloseTo((float) (0.5 * squares), within(1e-5f));
        assertThat(new FeatureTower("q", INPUTS, List.of(), new Rng(1)).embedWithPenalty(rows()).penalty().item())
                .isZero();
        assertThatThrownBy(() -> new FeatureTower("q", INPUTS, List.of(), -1f, new Rng(1)))
                .hasMessageContaining("l2 -1.0");
    }

    @Test
    void frequencyWeightedL2DividesEachRowsTermByTheSquareRootOfItsIdsTrainingCount() {
        FeatureTower tower = new FeatureTower("q", INPUTS, List.of(), 0.5f, true, new Rng(1));
        assertThatThrownBy(() -> tower.embedWithPenalty(rows()).penalty()).hasMessageContaining("call countIds");
        // Rows 0, 1, 2 seen 2, 1 and 2 times: user 1 four times, user 4 once; words 2 and 3 twice,
        // word 5 once; tags 1 and 2 twice, tag 3 once. A bag's weight is the mean of its ids'.
        tower.countIds(rows(), new int[] {2, 1, 2});
        FeatureTower.Embedded e = tower.embedWithPenalty(rows());
        float[] out = e.output().data();
        double[][] weights = {
            {1 / Math.sqrt(4), 1, 1 / Math.sqrt(4)},
            {1 / Math.sqrt(2), 1, 0},
            {1 / Math.sqrt(2), 1, 0}};
        int[][] columns = {{0, 3}, {3, 6}, {6, 8}};
        double expected = 0;
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                for (int j = columns[k][0]; j < columns[k][1]; j++) {
                    expected += weights[k][r] * out[r * 9 + j] * out[r * 9 + j];
                }
            }
        }
        assertThat(e.penalty().item()).isCloseTo((float) (0.5 * expected), within(1e-5f));
        tower.setTraining(false);
        assertThat(tower.embedWithPenalty(rows()).penalty().item()).as("no penalty outside training").isZero();
    }

    @Test
    void anInputWithAnInitialStddevStartsNormal() {
        FeatureTower tower = new FeatureTower("q", List.of(new TowerInput("user", 2000, 8, false, 0.1)), List.of(),
                new Rng(1));
        float[] v = table(tower, "user_embedding");
        double sum = 0;
        double squares = 0;
        float largest = 0;
        for (float x : v) {
            sum += x;
            squares += x * x;
            largest = Math.max(largest, Math.abs(x));
        }
        assertThat(Math.sqrt(squares / v.length - Math.pow(sum / v.length, 2))).isCloseTo(0.1, within(0.005));
        // Keras's uniform default never leaves [-0.05, 0.05]; a normal of stddev 0.1 does.
        assertThat(largest).isGreaterThan(0.2f);
    }

    @Property(tries = 10)
    void finiteDifferencesAgreeForEveryParameter(@ForAll long seed) {
        // One linear layer: a relu's kink within eps of a pre-activation would make finite
        // differences disagree by chance (Dense's relu is checked in nn).
        FeatureTower tower = new FeatureTower("q", INPUTS, List.of(4), new Rng(seed));
        List<Tensor> params = new ArrayList<>();
        for (Parameter p : tower.parameters()) {
            params.add(p.value());
        }
        EncodedFeatures in = rows();
        new GradientCheck(1e-2, 2e-3, 2e-2).check(ignored -> tower.embed(in), params, seed);
    }

    @Test
    void inputsOutOfOrderOrOfTheWrongKindAreNamed() {
        FeatureTower tower = new FeatureTower("q", INPUTS, List.of(2), new Rng(1));
        EncodedFeatures swapped = new EncodedFeatures(1, List.of(
                new EncodedFeatures.Ids("words", new int[] {1}, 1, 6, 0, true),
                new EncodedFeatures.Ids("user", new int[] {1}, 1, 5, -1, false),
                new EncodedFeatures.Ids("tags", new int[] {1}, 1, 4, 0, true),
                new EncodedFeatures.Values("price", new float[] {1f})));
        assertThatThrownBy(() -> tower.embed(swapped)).hasMessageContaining("input 0 is 'words', expected 'user'");
        assertThatThrownBy(() -> new FeatureTower("q", List.of(), List.of(2), new Rng(1)))
                .hasMessageContaining("tower 'q' has no inputs");
    }

    private static float[] table(FeatureTower tower, String name) {
        return tower.namedParameters().get(name + "/embeddings").value().data();
    }
}
