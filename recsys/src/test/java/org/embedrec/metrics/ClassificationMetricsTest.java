package org.embedrec.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    @Test
    void binaryAccuracyUsesAStrictThreshold() {
        // Predicted classes (p > 0.5): 0, 0, 1, 1 vs targets 0, 0, 1, 0 -> 3 of 4 right.
        assertThat(BinaryAccuracy.compute(new float[] {0.2f, 0.5f, 0.7f, 0.9f}, new float[] {0, 0, 1, 0}))
                .isEqualTo(0.75);
        // Logits with threshold 0: classes 0, 1, 1 vs 0, 1, 0 -> 2 of 3.
        BinaryAccuracy logits = new BinaryAccuracy(0);
        logits.update(new float[] {-1f, 2f}, new float[] {0, 1});
        logits.update(new float[] {0.1f}, new float[] {0});
        assertThat(logits.result()).isEqualTo(2.0 / 3.0);
        assertThatThrownBy(() -> BinaryAccuracy.compute(new float[2], new float[] {0, 0.5f}))
                .hasMessage("binary_accuracy: target at position 1 is 0.5, expected 0 or 1");
    }

    @Test
    void accuracyOfClassIds() {
        // 1=1, 2=2, 3!=0, 4=4 -> 3/4.
        assertThat(Accuracy.compute(new int[] {1, 2, 3, 4}, new int[] {1, 2, 0, 4})).isEqualTo(0.75);
        // Arg-max rows: (0.1, 0.9) -> 1, (0.5, 0.5) -> 0 (first maximum), (0.7, 0.3) -> 0; labels 1, 1, 0 -> 2/3.
        Accuracy acc = new Accuracy();
        acc.updateFromScores(new float[] {0.1f, 0.9f, 0.5f, 0.5f, 0.7f, 0.3f}, 2, new int[] {1, 1, 0});
        assertThat(acc.result()).isEqualTo(2.0 / 3.0);
        assertThat(acc.count()).isEqualTo(3);
        assertThatThrownBy(() -> acc.updateFromScores(new float[5], 2, new int[3]))
                .hasMessage("accuracy: 5 scores is not 3 labels x 2 classes");
        assertThatThrownBy(() -> acc.updateFromScores(new float[4], 2, new int[] {0, 2}))
                .hasMessageContaining("label at position 1 is 2, expected a class in [0, 2)");
        assertThat(Accuracy.compute(new int[0], new int[0])).isNaN();
    }

    @Test
    void aucByTheRankStatistic() {
        // Positives 0.35, 0.8; negatives 0.1, 0.4. Pairs won: 0.35>0.1, 0.8>0.1, 0.8>0.4; lost 0.35<0.4 -> 3/4.
        assertThat(AUC.compute(new float[] {0.1f, 0.4f, 0.35f, 0.8f}, new float[] {0, 0, 1, 1})).isEqualTo(0.75);
        // Ties count one half: positive 0.5 vs negatives 0.5, 0.5 -> 0.5 + 0.5; positive 0.9 wins both -> 2;
        // (1 + 2) / (2 * 2) = 0.75.
        assertThat(AUC.compute(new float[] {0.5f, 0.5f, 0.5f, 0.9f}, new float[] {1, 0, 0, 1})).isEqualTo(0.75);
        // All scores equal: every pair is a tie -> 0.5. Perfectly reversed -> 0.
        assertThat(AUC.compute(new float[] {1, 1, 1}, new float[] {1, 0, 1})).isEqualTo(0.5);
        assertThat(AUC.compute(new float[] {0.9f, 0.1f}, new float[] {0, 1})).isEqualTo(0.0);
        // -0.0 and 0.0 are the same score: a tie.
        assertThat(AUC.compute(new float[] {-0.0f, 0.0f}, new float[] {1, 0})).isEqualTo(0.5);
    }

    @Test
    void aucAccumulatesOverBatches() {
        AUC auc = new AUC();
        auc.update(new float[] {0.1f, 0.4f}, new float[] {0, 0});
        assertThat(auc.result()).isNaN(); // no positives yet
        auc.update(new float[] {0.35f, 0.8f}, new float[] {1, 1});
        assertThat(auc.result()).isEqualTo(0.75);
        assertThat(auc.result()).isEqualTo(0.75); // result() may be called again
        auc.update(new float[] {0.05f}, new float[] {0});
        // Positives beat the new negative too: (3 + 2) / (2 * 3) = 5/6.
        assertThat(auc.result()).isEqualTo(5.0 / 6.0);
        auc.reset();
        assertThat(auc.numPositives() + auc.numNegatives()).isZero();
        assertThat(auc.result()).isNaN();
    }

    @Test
    void aucRejectsBadInput() {
        assertThatThrownBy(() -> AUC.compute(new float[] {0, Float.NaN}, new float[] {0, 1}))
                .hasMessage("auc: score at position 1 is NaN");
        assertThatThrownBy(() -> AUC.compute(new float[2], new float[] {1, 2}))
                .hasMessage("auc: label at position 1 is 2.0, expected 0 or 1");
        assertThatThrownBy(() -> AUC.compute(new float[2], new float[1])).hasMessage("auc: 2 scores but 1 labels");
    }

    @Test
    void logLossOfLogitsByHand() {
        // -log sigmoid(0) = log 2 for either label; -log sigmoid(2) = log(1 + e^-2);
        // -log(1 - sigmoid(1)) = log(1 + e); a soft target 0.25 at logit 0 also costs log 2.
        double expected = (Math.log(2) + Math.log1p(Math.exp(-2)) + Math.log1p(Math.E) + Math.log(2)) / 4;
        assertThat(LogLoss.compute(new float[] {0f, 2f, 1f, 0f}, new float[] {1, 1, 0, 0.25f}))
                .isCloseTo(expected, within(1e-12));
        // A confident wrong logit costs its size, not infinity.
        assertThat(LogLoss.compute(new float[] {-1000f}, new float[] {1})).isEqualTo(1000.0);
        assertThatThrownBy(() -> LogLoss.compute(new float[2], new float[] {0, 2}))
                .hasMessage("log_loss: target at position 1 is 2.0, expected a probability in [0, 1]");
    }
}
