package org.embedrec.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CategoryCross;
import org.embedrec.features.EncodedFeatures;
import org.embedrec.nn.Initializer;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;

/**
 * The wide part of a rating model (Cheng et al. 2016, Wide &amp; Deep): a linear model over
 * sparse features, {@code wide(x) = sum over terms t of sum over the ids j of t in x of w_t[j]},
 * each {@code w_t} a width-1 {@link Embedding} with a sparse gradient (a lookup is the product
 * with the one-hot vector). A term reads one input of the query or the candidate features (a
 * bag's ids each count, its padding none), or crosses two inputs of either side row by row:
 * the pair of ids hashed into {@code buckets} ({@link CategoryCross}), id by id along the one
 * that is a bag. The weights start at zero, as a linear model trained by FTRL does; over the
 * user and item ids they are the per-user and per-item biases of matrix factorisation.
 */
public final class SparseLinear extends Module {
    /** An input of the query ({@code query} true) or candidate features, by name and position. */
    public record Source(boolean query, String input, int position) {}

    /**
     * A term: the ids of {@code first}, or with {@code second} the hashed cross of both into
     * {@code rows - 1} buckets (the last row holds padded positions, which count nothing).
     */
    public record Term(String name, Source first, Source second, int rows) {
        public Term {
            Objects.requireNonNull(first, "first");
            if (rows < 1 || second != null && rows < 2) {
                throw new IllegalArgumentException("wide term '" + name + "': " + rows + " rows");
            }
        }

        boolean isCross() {
            return second != null;
        }
    }

    private final List<Term> terms;
    private final List<Embedding> weights = new ArrayList<>();
    private final List<CategoryCross> hashes = new ArrayList<>();

    public SparseLinear(List<Term> terms, Rng rng) {
        super("wide");
        this.terms = List.copyOf(terms);
        if (this.terms.isEmpty()) {
            throw new IllegalArgumentException("the wide part needs at least one term");
        }
        for (int t = 0; t < this.terms.size(); t++) {
            Term term = this.terms.get(t);
            weights.add(addChild(Embedding.builder(term.rows(), 1).name(term.name())
                    .initializer(Initializer.zeros()).build(rng)));
            // Each cross hashes with its own salt, so two crosses of the same pair would differ.
            hashes.add(term.isCross() ? new CategoryCross(term.rows() - 1, t + 1) : null);
        }
    }

    /** The terms, in order. */
    public List<Term> terms() {
        return terms;
    }

    /** The width-1 table of term {@code t}. */
    Embedding weights(int t) {
        return weights.get(t);
    }

    /** The wide output {@code [n]} for {@code n} rows of query features and their candidates' features. */
    public Tensor logit(EncodedFeatures queries, EncodedFeatures candidates) {
        int n = queries.size();
        Tensor sum = null;
        for (int t = 0; t < terms.size(); t++) {
            Term term = terms.get(t);
            EncodedFeatures.Ids a = ids(term.first(), queries, candidates);
            Tensor part;
            if (!term.isCross()) {
                part = FeatureTower.lookup(weights.get(t), a.ids(), a.width(), a.padId(), a.bag(), true);
            } else {
                EncodedFeatures.Ids b = ids(term.second(), queries, candidates);
                int width = Math.max(a.width(), b.width());
                int pad = term.rows() - 1;
                int[] crossed = cross(hashes.get(t), a, b, n, width, pad);
                part = FeatureTower.lookup(weights.get(t), crossed, width, pad, width > 1 || a.bag() || b.bag(), true);
            }
            Tensor column = Ops.reshape(part, n);
            sum = sum == null ? column : Ops.add(sum, column);
        }
        return sum;
    }

    private EncodedFeatures.Ids ids(Source source, EncodedFeatures queries, EncodedFeatures candidates) {
        EncodedFeatures side = source.query() ? queries : candidates;
        EncodedFeatures.Input in = side.inputs().get(source.position());
        if (!in.name().equals(source.input()) || !(in instanceof EncodedFeatures.Ids ids)) {
            throw new IllegalArgumentException("wide part: " + (source.query() ? "query" : "candidate") + " input "
                    + source.position() + " is '" + in.name() + "', expected the ids of '" + source.input() + "'");
        }
        return ids;
    }

    /**
     * The crossed ids of two inputs, {@code width} per row: position {@code j} pairs the
     * {@code j}-th id of the bag with the other input's one id; a padded position gets {@code pad}.
     */
    private static int[] cross(CategoryCross hash, EncodedFeatures.Ids a, EncodedFeatures.Ids b, int n, int width,
                               int pad) {
        int[] out = new int[n * width];
        int wa = a.width();
        int wb = b.width();
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < width; j++) {
                int x = a.ids()[r * wa + (wa == 1 ? 0 : j)];
                int y = b.ids()[r * wb + (wb == 1 ? 0 : j)];
                boolean padded = a.bag() && x == a.padId() || b.bag() && y == b.padId();
                out[r * width + j] = padded ? pad : hash.cross(x, y);
            }
        }
        return out;
    }
}
