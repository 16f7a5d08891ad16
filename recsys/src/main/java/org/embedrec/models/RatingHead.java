package org.embedrec.models;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.layers.CrossNetwork;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Sequential;

/**
 * The rating head of a ranking model, over the query and candidate towers' outputs {@code q}
 * and {@code c}, of one of two kinds:
 * <ul>
 *   <li><b>concat</b>, as in TensorFlow Recommenders' ranking and DCN tutorials: {@code [q ; c]},
 *       optionally a DCN-v2 {@link CrossNetwork} (explicit feature crosses, full or low rank),
 *       dense relu layers, one linear output per row;</li>
 *   <li><b>dot</b>, as matrix factorisation: the affinity {@code q . c}, then optionally a relu MLP
 *       over that one number which starts as the identity map ({@link IdentityStartMlp}), so the
 *       model starts as matrix factorisation and the MLP learns only a bend of the affinity onto
 *       the rating scale. Without the MLP the head adds the mean training label, held fixed, as
 *       matrix factorisation's global mean {@code mu} is (per-user and per-item biases belong to
 *       a wide part, {@link SparseLinear}).</li>
 * </ul>
 * With {@code inputDropout > 0}, {@code q} and {@code c} are each dropped at that rate while
 * training, the regulariser that suits a dot product (an L2 penalty on the factors can be dodged
 * by shrinking them while the head scales the affinity back up). The output starts at the mean
 * training label ({@code initialBias}: the output layer's bias, or the constant a dot head without
 * layers adds), so the first steps fit the residual rather than the mean.
 */
public final class RatingHead extends Layer {
    /**
     * A dot head's kinks spread over affinities in [-2, 2]: on a rating scale such as 1..5 a
     * fitted affinity adds to or takes from the biased mean at most a couple of stars.
     */
    private static final float DOT_KINK_SPREAD = 2f;

    private final boolean dot;
    private final int queryDim;
    private final int inputDim;
    private final Dropout queryDropout;
    private final Dropout candidateDropout;
    private final CrossNetwork cross;
    private final Sequential dense;
    private final Dense output;
    private final Parameter bias;

    /** A concat head over {@code inputDim} concatenated columns with relu {@code layers}, weights from {@code rng}. */
    public RatingHead(int inputDim, List<Integer> layers, float initialBias, Rng rng) {
        this(inputDim, 0, 0, layers, initialBias, rng);
    }

    /**
     * A concat head with {@code crossLayers} cross layers first (low rank {@code projectionDim},
     * or full rank when 0; none when {@code crossLayers} is 0), then relu {@code layers}.
     */
    public RatingHead(int inputDim, int crossLayers, int projectionDim, List<Integer> layers, float initialBias,
                      Rng rng) {
        this(inputDim, crossLayers, projectionDim, layers, 0.0, initialBias, rng);
    }

    /** As the other constructor, with dropout of rate {@code dropout} after the crosses and each dense layer. */
    public RatingHead(int inputDim, int crossLayers, int projectionDim, List<Integer> layers, double dropout,
                      float initialBias, Rng rng) {
        this(false, -1, inputDim, crossLayers, projectionDim, layers, 0.0, dropout, initialBias, rng);
    }

    /**
     * A concat head over a query tower {@code queryDim} wide and a candidate tower
     * {@code candidateDim} wide, their outputs dropped at rate {@code inputDropout} while
     * training, then as {@link #RatingHead(int, int, int, List, double, float, Rng)}.
     */
    public static RatingHead concat(int queryDim, int candidateDim, int crossLayers, int projectionDim,
                                    List<Integer> layers, double inputDropout, double dropout, float initialBias,
                                    Rng rng) {
        return new RatingHead(false, queryDim, queryDim + candidateDim, crossLayers, projectionDim, layers,
                inputDropout, dropout, initialBias, rng);
    }

    /**
     * A dot head over two towers {@code dim} wide: {@code q . c} (each dropped at rate
     * {@code inputDropout} while training), then relu {@code layers} (each at least 2 wide) that
     * start as the identity map; without layers, {@code q . c + initialBias}, the constant held
     * fixed.
     */
    public static RatingHead dot(int dim, List<Integer> layers, double inputDropout, float initialBias, Rng rng) {
        return new RatingHead(true, dim, 2 * dim, 0, 0, layers, inputDropout, 0.0, initialBias, rng);
    }

    private RatingHead(boolean dot, int queryDim, int inputDim, int crossLayers, int projectionDim,
                       List<Integer> layers, double inputDropout, double dropout, float initialBias, Rng rng) {
        super("rating_head");
        this.dot = dot;
        this.queryDim = queryDim;
        this.inputDim = inputDim;
        if (dot && (crossLayers > 0 || dropout > 0)) {
            throw new IllegalArgumentException("rating head: a dot head has no cross layers or dropout of its own, got "
                    + crossLayers + " cross layers and dropout " + dropout);
        }
        this.queryDropout = inputDropout > 0 ? addChild(new Dropout("query_dropout", inputDropout, rng)) : null;
        this.candidateDropout = inputDropout > 0 ? addChild(new Dropout("candidate_dropout", inputDropout, rng)) : null;
        if (dot) {
            this.cross = null;
            this.dense = layers.isEmpty() ? null : addChild(IdentityStartMlp.build("dense_layers", layers,
                    DOT_KINK_SPREAD, rng));
            this.output = dense == null ? null : (Dense) dense.layers().get(dense.layers().size() - 1);
            this.bias = dense == null ? addParameter("bias", Tensor.scalar(initialBias)) : null;
        } else {
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
            this.bias = null;
        }
        if (output != null) {
            output.bias().orElseThrow().value().data()[0] = initialBias;
        }
    }

    /** The constant part of the prediction, a scalar: the output layer's bias, or a dot head's fixed mean. */
    public Tensor outputBias() {
        return bias != null ? bias.value() : Ops.reshape(output.bias().orElseThrow().value());
    }

    /** True for a dot head with neither layers nor input dropout: {@code q . c} plus a fixed constant. */
    boolean isPlainDot() {
        return dot && dense == null && queryDropout == null;
    }

    /** True for a dot head. */
    public boolean isDot() {
        return dot;
    }

    /** One prediction per row {@code [n]} from query embeddings {@code [n, dq]} and candidate embeddings {@code [n, dc]}. */
    public Tensor predict(Tensor queries, Tensor candidates) {
        if (queries.dim(1) + candidates.dim(1) != inputDim || queryDim >= 0 && queries.dim(1) != queryDim) {
            throw new IllegalArgumentException("rating head: query and candidate embeddings are " + queries.dim(1)
                    + " and " + candidates.dim(1) + " columns, expected " + (queryDim >= 0
                    ? queryDim + " and " + (inputDim - queryDim) : inputDim + " together"));
        }
        Tensor q = queryDropout == null ? queries : queryDropout.apply(queries);
        Tensor c = candidateDropout == null ? candidates : candidateDropout.apply(candidates);
        int n = queries.dim(0);
        if (dot) {
            Tensor affinity = Ops.dot(q, c);
            // The constant is a parameter only so that saved weights carry it; no gradient reaches it.
            return dense == null ? Ops.addScalar(affinity, bias.value().data()[0])
                    : Ops.reshape(dense.apply(Ops.reshape(affinity, n, 1)), n);
        }
        return stack(Ops.concat(-1, q, c));
    }

    /**
     * Applies the head to the already concatenated {@code [n, inputDim]} input, the query's
     * columns first (for a dot head, the two equal halves).
     */
    @Override
    public Tensor apply(Tensor input) {
        if (dot || queryDropout != null) {
            int split = dot ? inputDim / 2 : queryDim;
            return predict(Ops.slice(input, 1, 0, split), Ops.slice(input, 1, split, inputDim));
        }
        return stack(input);
    }

    private Tensor stack(Tensor x) {
        Tensor h = cross == null ? x : cross.apply(x);
        h = dense == null ? h : dense.apply(h);
        return Ops.reshape(output.apply(h), x.dim(0));
    }
}
