package org.embedrec.models.sequential;

import java.util.Locale;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Parameter;

/**
 * How SASRec's weights start:
 * <ul>
 *   <li>{@link #REFERENCE_TF}: as the authors' TensorFlow code and Keras layers start them: item
 *       table uniform in ±0.05, positions and dense kernels Glorot uniform, biases zero;</li>
 *   <li>{@link #XAVIER_NORMAL}: as the PyTorch reference ({@code pmixer/SASRec.pytorch}, and
 *       {@code bench/reference/pytorch_sasrec.py}) starts them, which applies {@code xavier_normal_}
 *       to every parameter of two or more dimensions, embeddings included, and leaves the rest
 *       to PyTorch's defaults: every table and kernel normal with variance {@code 2 / (fanIn +
 *       fanOut)} (not truncated), the attention's query, key and value kernels with the fans of
 *       PyTorch's one stacked {@code [3 d, d]} projection, the catalogue's padding row zero, the
 *       attention's biases zero, the feed-forward biases uniform in ±{@code 1 / sqrt(fanIn)}
 *       ({@code nn.Linear}'s own), layer norms one and zero.</li>
 * </ul>
 * Only the first values differ; the model and its training are the same. {@code train --model
 * sasrec} starts as PyTorch's ({@link SequentialConfig#defaults}): on MovieLens 100K (softmax, 16
 * epochs, length 50) it gave test HR@10 0.1898 / 0.1909 / 0.1930 on seeds 1-3 against 0.1835 /
 * 0.1813 / 0.1856 from the TensorFlow start.
 */
public enum SasRecInit {
    REFERENCE_TF("reference-tf"), XAVIER_NORMAL("xavier-normal");

    private final String label;

    SasRecInit(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static SasRecInit parse(String text) {
        for (SasRecInit init : values()) {
            if (init.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown init '" + text + "': expected reference-tf or xavier-normal");
    }

    @Override
    public String toString() {
        return label;
    }

    /**
     * Redraws {@code model}'s parameters from {@code rng} as this scheme says; {@link #REFERENCE_TF}
     * is how the layers start, so it changes nothing and draws nothing.
     */
    void apply(SasRec model, Rng rng) {
        if (this == REFERENCE_TF) {
            return;
        }
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            String name = e.getKey();
            float[] values = e.getValue().value().data();
            int[] shape = e.getValue().value().shape();
            if (name.endsWith("norm/gamma") || name.endsWith("norm/beta")) {
                continue;   // layer norms start at one and zero in both schemes
            }
            if (shape.length == 2) {
                int rows = shape[0];
                int cols = shape[1];
                // The reference's position table has one more row, its padding position 0.
                int fans = name.equals("positions/embeddings") ? rows + 1 + cols
                        : isStackedProjection(name) ? rows + 3 * cols : rows + cols;
                Initializer.normal(Math.sqrt(2.0 / fans)).fill(values, rows, cols, rng);
                if (name.equals("items/embeddings")) {
                    java.util.Arrays.fill(values, 0, cols, 0f);   // the padding row
                }
            } else if (name.contains("/attention/")) {
                java.util.Arrays.fill(values, 0f);
            } else {
                // nn.Linear's bias: uniform in +-1/sqrt(fanIn), fanIn the width of the input, here the bias's own.
                float bound = (float) (1 / Math.sqrt(values.length));
                Initializer.uniform(-bound, bound).fill(values, values.length, values.length, rng);
            }
        }
    }

    /** The attention's query, key and value kernels, which PyTorch keeps as one {@code [3 d, d]} matrix. */
    private static boolean isStackedProjection(String name) {
        return name.endsWith("/attention/query/kernel") || name.endsWith("/attention/key/kernel")
                || name.endsWith("/attention/value/kernel");
    }
}
