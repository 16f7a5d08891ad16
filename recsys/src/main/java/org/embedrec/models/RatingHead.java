package org.embedrec.models;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.layers.CrossNetwork;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Sequential;

/**
 * The rating head of a ranking model, as in TensorFlow Recommenders' ranking and DCN tutorials:
 * the query and candidate embeddings concatenated, optionally a DCN-v2 {@link CrossNetwork}
 * (explicit feature crosses, full or low rank), dense relu layers, one linear output per row.
 * The output's bias starts at the mean training label, so the first steps fit the residual
 * rather than the mean.
 */
public final class RatingHead extends Layer {
    private final CrossNetwork cross;
    private final Sequential dense;
    private final Dense output;
    private final int inputDim;

    /** A head over {@code inputDim} concatenated columns with relu {@code layers}, weights from {@code rng}. */
    public RatingHead(int inputDim, List<Integer> layers, float initialBias, Rng rng) {
        this(inputDim, 0, 0, layers, initialBias, rng);
    }

    /**
     * A head with {@code crossLayers} cross layers first (low rank {@code projectionDim}, or full
     * rank when 0; none when {@code crossLayers} is 0), then relu {@code layers}.
     */
    public RatingHead(int inputDim, int crossLayers, int projectionDim, List<Integer> layers, float initialBias,
                      Rng rng) {
        this(inputDim, crossLayers, projectionDim, layers, 0.0, initialBias, rng);
    }

    /** As the other constructor, with dropout of rate {@code dropout} after the crosses and each dense layer. */
    public RatingHead(int inputDim, int crossLayers, int projectionDim, List<Integer> layers, double dropout,
                      float initialBias, Rng rng) {
        super("rating_head");
        this.inputDim = inputDim;
        this.cross = crossLayers == 0 ? null
                : addChild(new CrossNetwork(inputDim, crossLayers, projectionDim, true, rng));
        int width = inputDim;
        Sequential stack = new Sequential("dense_layers");
        if (dropout > 0 && crossLayers > 0) {
            stack.add(new Dropout(dropout, rng));
        }
        for (int units : layers) {
            stack.add(Dense.builder(width, units).activation(Activation.RELU).build(rng));
            if (dropout > 0) {
                stack.add(new Dropout(dropout, rng));
            }
            width = units;
        }
        this.dense = stack.layers().isEmpty() ? null : addChild(stack);
        this.output = addChild(Dense.builder(width, 1).name("output").build(rng));
        output.bias().orElseThrow().value().data()[0] = initialBias;
    }

    /** One prediction per row {@code [n]} from query embeddings {@code [n, dq]} and candidate embeddings {@code [n, dc]}. */
    public Tensor predict(Tensor queries, Tensor candidates) {
        Tensor x = Ops.concat(-1, queries, candidates);
        if (x.dim(1) != inputDim) {
            throw new IllegalArgumentException("rating head: query and candidate embeddings are " + x.dim(1)
                    + " columns together, expected " + inputDim);
        }
        return apply(x);
    }

    /** Applies the head to the already concatenated {@code [n, inputDim]} input. */
    @Override
    public Tensor apply(Tensor input) {
        Tensor h = cross == null ? input : cross.apply(input);
        h = dense == null ? h : dense.apply(h);
        return Ops.reshape(output.apply(h), input.dim(0));
    }
}
