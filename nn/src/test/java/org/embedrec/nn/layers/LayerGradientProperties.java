package org.embedrec.nn.layers;

import static org.embedrec.nn.layers.TestTensors.awayFromZero;
import static org.embedrec.nn.layers.TestTensors.random;
import static org.embedrec.nn.layers.TestTensors.shape;
import static org.embedrec.nn.layers.TestTensors.withLast;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.embedrec.engine.GradientCheck;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Module;
import org.embedrec.nn.Parameter;

/**
 * Every layer's backward pass against central finite differences, for its inputs and its
 * parameters, over random shapes and values. Parameters are passed to the check as extra
 * inputs: the check perturbs their live tensors, which the layer reads.
 */
class LayerGradientProperties {
    private final GradientCheck check = new GradientCheck();

    /** {@code inputs} followed by the layer's parameter tensors. */
    private static List<Tensor> withParameters(Module layer, Tensor... inputs) {
        List<Tensor> all = new ArrayList<>(List.of(inputs));
        for (Parameter p : layer.parameters()) {
            all.add(p.value());
        }
        return all;
    }

    @Property(tries = 20)
    void dense(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 1, max = 5) int inputDim,
               @ForAll @IntRange(min = 1, max = 5) int units, @ForAll boolean useBias, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Activation[] smooth = {Activation.LINEAR, Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX};
        Activation activation = smooth[rng.nextInt(smooth.length)];
        Dense dense = Dense.builder(inputDim, units).activation(activation).useBias(useBias)
                .biasInitializer(Initializer.uniform(-0.5f, 0.5f)).build(rng);
        Tensor x = random(rng, withLast(shape(rng, rank - 1, 3), inputDim));
        check.check(in -> dense.apply(in.get(0)), withParameters(dense, x), seed);
    }

    @Property(tries = 20)
    void denseRelu(@ForAll @IntRange(min = 1, max = 5) int inputDim, @ForAll @IntRange(min = 1, max = 5) int units,
                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        Dense dense = new Dense(inputDim, units, Activation.RELU, rng);
        Tensor x = random(rng, 1 + rng.nextInt(4), inputDim);
        // A relu input within a step of its kink makes the finite difference straddle it:
        // shift the bias so that every pre-activation is at least 0.1 away from zero.
        Tensor pre = Ops.matmul(x.detach(), dense.kernel().value().detach());
        float[] b = dense.bias().orElseThrow().value().data();
        for (int j = 0; j < units; j++) {
            float shift = 0f;
            for (int step = 0; step < 40 && tooClose(pre, j, units, shift); step++) {
                shift += 0.05f;
            }
            b[j] = shift;
        }
        check.check(in -> dense.apply(in.get(0)), withParameters(dense, x), seed);
    }

    private static boolean tooClose(Tensor pre, int column, int units, float shift) {
        float[] p = pre.data();
        for (int i = column; i < p.length; i += units) {
            if (Math.abs(p[i] + shift) < 0.1f) {
                return true;
            }
        }
        return false;
    }

    @Property(tries = 20)
    void embeddingLookup(@ForAll @IntRange(min = 1, max = 8) int vocabulary, @ForAll @IntRange(min = 1, max = 4) int dim,
                         @ForAll @IntRange(min = 0, max = 2) int idRank, @ForAll boolean sparse, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Embedding embedding = Embedding.builder(vocabulary, dim).sparse(sparse).build(rng);
        int[] idShape = shape(rng, idRank, 4);
        int[] ids = new int[Shape.size(idShape)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(vocabulary);
        }
        check.check(in -> embedding.lookup(ids, idShape), withParameters(embedding), seed);
        Tensor floatIds = Tensor.zeros(idShape);
        for (int i = 0; i < ids.length; i++) {
            floatIds.data()[i] = ids[i];
        }
        check.check(in -> embedding.apply(floatIds), withParameters(embedding), seed);
    }

    @Property(tries = 15)
    void sequential(@ForAll @IntRange(min = 1, max = 4) int inputDim, @ForAll @IntRange(min = 1, max = 4) int hidden,
                    @ForAll @IntRange(min = 1, max = 3) int units, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Sequential stack = new Sequential("tower",
                new Dense(inputDim, hidden, rng), new Tanh(), new Dense(hidden, units, Activation.SIGMOID, rng));
        Tensor x = random(rng, 1 + rng.nextInt(3), inputDim);
        check.check(in -> stack.apply(in.get(0)), withParameters(stack, x), seed);
    }

    @Property(tries = 15)
    void dropoutInTraining(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 0, max = 8) int tenths,
                           @ForAll long seed) {
        Rng rng = new Rng(seed);
        double rate = tenths / 10.0;
        Tensor x = random(rng, shape(rng, rank, 4));
        // A fresh layer from the same seed per evaluation: the same mask every time.
        check.check(in -> new Dropout(rate, new Rng(seed)).apply(in.get(0)), List.of(x), seed);
    }

    @Property(tries = 20)
    void layerNorm(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 2, max = 6) int dim,
                   @ForAll long seed) {
        Rng rng = new Rng(seed);
        LayerNorm norm = new LayerNorm(dim);
        TestTensors.fill(norm.gamma().value(), rng, 0.5f, 1.5f);
        TestTensors.fill(norm.beta().value(), rng, -0.5f, 0.5f);
        Tensor x = random(rng, withLast(shape(rng, rank - 1, 3), dim));
        spreadRows(x, dim);
        check.check(in -> norm.apply(in.get(0)), withParameters(norm, x), seed);
    }

    /**
     * Adds a ramp of step 2.5 along each row, centred on zero: values in [-1, 1) then stay at
     * least 0.5 apart, so no row is nearly constant. With a variance near zero the
     * normalisation curves too sharply for a finite difference.
     */
    private static void spreadRows(Tensor x, int dim) {
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += 2.5f * ((i % dim) - (dim - 1) / 2f);
        }
    }

    @Property(tries = 15)
    void flatten(@ForAll @IntRange(min = 1, max = 4) int rank, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Flatten flatten = new Flatten();
        check.check(in -> flatten.apply(in.get(0)), List.of(random(rng, shape(rng, rank, 3))), seed);
    }

    @Property(tries = 20)
    void concatenate(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 2, max = 3) int count,
                     @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] base = shape(rng, rank, 3);
        int axis = rng.nextInt(rank) - (rng.nextInt(2) == 0 ? 0 : rank);
        int a = axis < 0 ? axis + rank : axis;
        Tensor[] xs = new Tensor[count];
        for (int i = 0; i < count; i++) {
            int[] s = base.clone();
            s[a] = 1 + rng.nextInt(3);
            xs[i] = random(rng, s);
        }
        Concatenate concat = new Concatenate(axis);
        check.check(in -> concat.apply(in), List.of(xs), seed);
    }

    @Property(tries = 20)
    void dot(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 2, max = 6) int dim,
             @ForAll boolean normalize, @ForAll long seed) {
        Rng rng = new Rng(seed);
        int[] s = withLast(shape(rng, rank - 1, 3), dim);
        // Components of at least 0.3 keep the norms well away from zero.
        Tensor a = awayFromZero(rng, 0.3f, s);
        Tensor b = awayFromZero(rng, 0.3f, s);
        Dot dot = new Dot(normalize);
        check.check(in -> dot.apply(in.get(0), in.get(1)), List.of(a, b), seed);
    }

    @Property(tries = 20)
    void activations(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 0, max = 3) int which,
                     @ForAll long seed) {
        Rng rng = new Rng(seed);
        ActivationLayer layer = new ActivationLayer[] {new ReLU(), new Sigmoid(), new Tanh(), new Softmax()}[which];
        Tensor x = awayFromZero(rng, 0.1f, shape(rng, rank, 4));
        check.check(in -> layer.apply(in.get(0)), List.of(x), seed);
    }

    @Property(tries = 20)
    void cross(@ForAll @IntRange(min = 1, max = 3) int rank, @ForAll @IntRange(min = 1, max = 5) int dim,
               @ForAll @IntRange(min = 0, max = 3) int projectionDim, @ForAll boolean useBias,
               @ForAll boolean diagonal, @ForAll long seed) {
        Rng rng = new Rng(seed);
        Cross cross = Cross.builder(dim).projectionDim(projectionDim).useBias(useBias).diagScale(diagonal ? 0.5f : 0f)
                .biasInitializer(Initializer.uniform(-0.5f, 0.5f)).build(rng);
        int[] s = withLast(shape(rng, rank - 1, 3), dim);
        Tensor x0 = random(rng, s);
        Tensor x = random(rng, s);
        check.check(in -> cross.apply(in.get(0), in.get(1)), withParameters(cross, x0, x), seed);
    }

    @Property(tries = 15)
    void crossNetwork(@ForAll @IntRange(min = 1, max = 4) int dim, @ForAll @IntRange(min = 1, max = 3) int numLayers,
                      @ForAll @IntRange(min = 0, max = 2) int projectionDim, @ForAll boolean useBias,
                      @ForAll long seed) {
        Rng rng = new Rng(seed);
        CrossNetwork net = new CrossNetwork(dim, numLayers, projectionDim, useBias, rng);
        Tensor x = random(rng, 1 + rng.nextInt(3), dim);
        check.check(in -> net.apply(in.get(0)), withParameters(net, x), seed);
    }
}
