package org.embedrec.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.features.TowerInput;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * A tower over any features, as a TensorFlow Recommenders user writes one in Keras: each
 * categorical input is an embedding lookup, each bag (text, list) the masked mean (or sum) of
 * its entries' embeddings, each number fed as one float; the parts are concatenated and go
 * through the tower's dense layers (relu on all but the last), or come out as they are when the
 * tower has none. Parameters live under {@code <name>/<input>_embedding/embeddings} and
 * {@code <name>/dense_layers/...}. With {@code l2 > 0} the tower also gives a lazy L2 penalty:
 * {@code l2} times the squared norms of the embeddings it looked up for the batch (a bag's pooled
 * vector counts once), so a row is shrunk in proportion to how often it is used, as in SGD-trained
 * matrix factorisation.
 */
public final class FeatureTower extends Module {
    private final List<TowerInput> inputs;
    private final List<Embedding> tables = new ArrayList<>();
    private final Sequential dense;
    private final int outputDim;
    private final float l2;

    /** The tower's output and its L2 penalty (a scalar; zero without L2). */
    public record Embedded(Tensor output, Tensor penalty) {}

    /** A tower for {@code inputs} (in the order the encoder gives them) and dense {@code layers}, weights from {@code rng}. */
    public FeatureTower(String name, List<TowerInput> inputs, List<Integer> layers, Rng rng) {
        this(name, inputs, layers, 0f, rng);
    }

    /** As the other constructor, with lazy L2 strength {@code l2 >= 0} on the embeddings looked up. */
    public FeatureTower(String name, List<TowerInput> inputs, List<Integer> layers, float l2, Rng rng) {
        super(name);
        if (!(l2 >= 0f) || Float.isInfinite(l2)) {
            throw new IllegalArgumentException("tower '" + name + "': l2 " + l2 + ", expected a finite number >= 0");
        }
        this.l2 = l2;
        this.inputs = List.copyOf(inputs);
        if (this.inputs.isEmpty()) {
            throw new IllegalArgumentException("tower '" + name + "' has no inputs; give it at least one feature");
        }
        Objects.requireNonNull(rng, "rng");
        int width = 0;
        for (TowerInput in : this.inputs) {
            tables.add(in.isValue() ? null : addChild(Embedding.builder(in.vocabularySize(), in.embeddingDim())
                    .name(in.name() + "_embedding").build(rng)));
            width += in.width();
        }
        this.dense = layers.isEmpty() ? null : addChild(TowerLayers.build(width, layers, rng));
        this.outputDim = layers.isEmpty() ? width : layers.get(layers.size() - 1);
    }

    /** The tower's embeddings {@code [n, outputDim]} of encoded rows, on the gradient tape when one is open. */
    public Tensor embed(EncodedFeatures features) {
        return embedWithPenalty(features).output();
    }

    /** The tower's embeddings with the L2 penalty of the rows they looked up, on the tape when one is open. */
    public Embedded embedWithPenalty(EncodedFeatures features) {
        List<EncodedFeatures.Input> given = features.inputs();
        if (given.size() != inputs.size()) {
            throw new IllegalArgumentException("tower '" + name() + "': " + given.size() + " inputs given, expected "
                    + inputs.size() + " " + names());
        }
        int n = features.size();
        Tensor[] parts = new Tensor[inputs.size()];
        for (int k = 0; k < parts.length; k++) {
            TowerInput expected = inputs.get(k);
            EncodedFeatures.Input in = given.get(k);
            if (!in.name().equals(expected.name()) || expected.isValue() != (in instanceof EncodedFeatures.Values)) {
                throw new IllegalArgumentException("tower '" + name() + "': input " + k + " is '" + in.name()
                        + "', expected '" + expected.name() + "' " + names());
            }
            parts[k] = in instanceof EncodedFeatures.Ids ids ? lookup(tables.get(k), ids, expected.sumPooling())
                    : Tensor.wrap(((EncodedFeatures.Values) in).values(), n, 1);
        }
        Tensor joined = parts.length == 1 ? parts[0] : Ops.concat(-1, parts);
        Tensor penalty = Tensor.scalar(0f);
        if (l2 > 0) {
            for (int k = 0; k < parts.length; k++) {
                if (!inputs.get(k).isValue()) {
                    penalty = Ops.add(penalty, Ops.sum(Ops.mul(parts[k], parts[k])));
                }
            }
            penalty = Ops.scale(penalty, l2);
        }
        return new Embedded(dense == null ? joined : dense.apply(joined), penalty);
    }

    private static Tensor lookup(Embedding table, EncodedFeatures.Ids ids, boolean sum) {
        if (!ids.bag()) {
            return table.lookup(ids.ids());
        }
        Tensor mean = Ops.gatherMean(table.embeddings().value(), ids.ids(), ids.width(), ids.padId());
        if (!sum) {
            return mean;
        }
        // A bag's sum is its mean times its number of entries (an empty bag's mean is zero).
        int bags = ids.ids().length / ids.width();
        float[] counts = new float[bags];
        for (int b = 0; b < bags; b++) {
            for (int j = 0; j < ids.width(); j++) {
                if (ids.ids()[b * ids.width() + j] != ids.padId()) {
                    counts[b]++;
                }
            }
        }
        return Ops.mul(mean, Tensor.wrap(counts, bags, 1));
    }

    private List<String> names() {
        List<String> out = new ArrayList<>();
        for (TowerInput in : inputs) {
            out.add(in.name());
        }
        return out;
    }

    /** The inputs this tower reads, in order. */
    public List<TowerInput> inputs() {
        return inputs;
    }

    /** The lazy L2 strength on the embeddings looked up. */
    public float l2() {
        return l2;
    }

    /** The width of the embeddings this tower outputs. */
    public int outputDim() {
        return outputDim;
    }

}
