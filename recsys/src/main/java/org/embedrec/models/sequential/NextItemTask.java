package org.embedrec.models.sequential;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Module;
import org.embedrec.nn.TrainingState;
import org.embedrec.nn.train.Dataset;
import org.embedrec.nn.train.TrainingTask;

/**
 * Trains a {@link SequenceEncoder} to predict the next item at every real step of its training
 * sequences, with one of the {@link NextItemLoss losses}, averaged over the batch's real steps.
 * With {@code excludeSeen}, the full softmax at each step leaves out the items already in the
 * sequence up to that step (the target itself always stays in), as the evaluation ranks only the
 * items a user has not seen: the model need not spend its capacity pushing down the items most
 * like the user's own, which it is never asked to rank. Validates by ranking the whole catalogue after each validation history ({@link NextItemEvaluation}).
 */
public final class NextItemTask implements TrainingTask<SequenceBatch> {
    private final SequenceEncoder encoder;
    private final NextItemLoss loss;
    private final int sampledNegatives;
    private final float[] logFrequency;
    private final Rng candidateSampler;
    private final NextItemQueries validation;
    private final long evaluationSeed;
    private final boolean excludeSeen;

    /**
     * {@code itemCounts}: training frequencies for the sampled softmax's log-q correction;
     * {@code validation} the queries {@link #evaluate} ranks, whatever dataset it is handed.
     */
    public NextItemTask(SequenceEncoder encoder, NextItemLoss loss, int sampledNegatives, int[] itemCounts,
                        NextItemQueries validation, long seed) {
        this(encoder, loss, sampledNegatives, itemCounts, validation, seed, false);
    }

    /** {@code excludeSeen}: the full softmax leaves out each step's earlier items (softmax loss only). */
    public NextItemTask(SequenceEncoder encoder, NextItemLoss loss, int sampledNegatives, int[] itemCounts,
                        NextItemQueries validation, long seed, boolean excludeSeen) {
        if (excludeSeen && loss != NextItemLoss.SOFTMAX) {
            throw new IllegalArgumentException("excluding seen items applies to the softmax loss only, not " + loss);
        }
        this.excludeSeen = excludeSeen;
        this.encoder = encoder;
        this.loss = loss;
        this.sampledNegatives = sampledNegatives;
        this.validation = validation;
        this.evaluationSeed = seed;
        this.candidateSampler = new Rng(seed ^ 0x5EED5L);
        long total = 0;
        for (int c : itemCounts) {
            total += c;
        }
        this.logFrequency = new float[itemCounts.length];
        for (int i = 0; i < itemCounts.length; i++) {
            // An item never seen in training still gets a finite correction, as if seen once.
            logFrequency[i] = (float) Math.log(Math.max(itemCounts[i], 1) / (double) Math.max(total, 1));
        }
    }

    @Override
    public Module model() {
        return encoder;
    }

    @Override
    public Tensor loss(SequenceBatch batch) {
        int[] real = batch.realPositions();
        int[] targets = new int[real.length];
        for (int i = 0; i < real.length; i++) {
            targets[i] = batch.targets()[real[i]];
        }
        Tensor h = encoder.encodeReal(batch);
        return switch (loss) {
            case SOFTMAX -> {
                if (!excludeSeen) {
                    yield fullSoftmax(h, encoder.itemEmbeddings(), targets);
                }
                yield fullSoftmaxUnseen(h, encoder.itemEmbeddings(), batch, real, targets);
            }
            case SAMPLED_SOFTMAX -> sampledSoftmax(h, targets);
            case BCE -> binaryCrossEntropy(h, targets, batch, real);
        };
    }

    /** Where the sampled softmax's candidate stream is, for a resumed run to draw the same candidates. */
    @Override
    public void saveState(String prefix, TrainingState out) {
        out.putRng(prefix + "candidates", candidateSampler);
    }

    @Override
    public void restoreState(String prefix, TrainingState in) {
        in.restoreRng(prefix + "candidates", candidateSampler);
    }

    /**
     * The mean over the steps of the cross-entropy of the softmax of {@code states . catalogue^T}
     * at each step's target: the fused op that never holds the whole {@code [steps, numItems]}
     * logits and their gradient (with no counts, shifts or masks it is the plain full softmax),
     * equal to {@code mean(softmaxCrossEntropy(matmul(states, catalogue^T), targets))}.
     */
    static Tensor fullSoftmax(Tensor states, Tensor catalogue, int[] targets) {
        return Ops.mean(Ops.sampledSoftmaxCrossEntropy(states, catalogue, 1f, targets, null, null, false));
    }

    /**
     * {@link #fullSoftmax} with each real step's items read so far in its own sequence, up to and
     * including its own, left out of its softmax (probability and gradient exactly 0), except its
     * target: the fused op with one exclusion range per step. A sequence's real steps are
     * consecutive in {@code real}, so the items read in it, in order, are one list, and step k
     * excludes that list's prefix up to k: {@code [from, k + 1)} of the batch's read items, where
     * {@code from} is where k's sequence starts. Each step costs one range, never a row of the
     * {@code [steps, numItems]} logits.
     */
    static Tensor fullSoftmaxUnseen(Tensor states, Tensor catalogue, SequenceBatch batch, int[] real, int[] targets) {
        int[] read = new int[real.length];
        int[] from = new int[real.length];
        int[] to = new int[real.length];
        int row = -1;
        int start = 0;
        for (int k = 0; k < real.length; k++) {
            int position = real[k];
            if (position / batch.time() != row) {
                row = position / batch.time();
                start = k;
            }
            read[k] = batch.tokens()[position] - 1;
            from[k] = start;
            to[k] = k + 1;
        }
        return Ops.mean(Ops.softmaxCrossEntropyExcluding(states, catalogue, targets, read, from, to));
    }

    /** The softmax over the batch's distinct targets and uniformly drawn items, logits less log q. */
    private Tensor sampledSoftmax(Tensor h, int[] targets) {
        int n = encoder.numItems();
        int[] slot = new int[n];
        Arrays.fill(slot, -1);
        int[] candidates = new int[Math.min(n, targets.length + sampledNegatives)];
        int m = 0;
        int[] labels = new int[targets.length];
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            if (slot[t] < 0) {
                slot[t] = m;
                candidates[m++] = t;
            }
            labels[i] = slot[t];
        }
        int extra = Math.min(sampledNegatives, n - m);
        for (int d = 0; d < extra; d++) {
            int j = candidateSampler.nextInt(n);
            if (slot[j] < 0) {
                slot[j] = m;
                candidates[m++] = j;
            }
        }
        int[] ids = Arrays.copyOf(candidates, m);
        float[] shift = new float[m];
        for (int i = 0; i < m; i++) {
            shift[i] = logFrequency[ids[i]];
        }
        return Ops.mean(Ops.sampledSoftmaxCrossEntropy(h, encoder.itemRows(ids), 1f, labels, null, shift, false));
    }

    /** SASRec's loss: each step's target against its one sampled negative, both by binary cross-entropy. */
    private Tensor binaryCrossEntropy(Tensor h, int[] targets, SequenceBatch batch, int[] real) {
        if (batch.negatives() == null) {
            throw new IllegalStateException("the bce loss needs examples with negatives (NextItemExamples with a seed)");
        }
        int[] negatives = new int[real.length];
        for (int i = 0; i < real.length; i++) {
            negatives[i] = batch.negatives()[real[i]];
        }
        Tensor positive = Ops.sum(Ops.mul(h, encoder.itemRows(targets)), 1, false);
        Tensor negative = Ops.sum(Ops.mul(h, encoder.itemRows(negatives)), 1, false);
        Tensor ones = Tensor.full(1f, real.length);
        Tensor zeros = Tensor.zeros(real.length);
        return Ops.add(Ops.mean(Ops.sigmoidCrossEntropy(positive, ones)),
                Ops.mean(Ops.sigmoidCrossEntropy(negative, zeros)));
    }

    /** The validation queries' ranking metrics, and "loss", their mean full-softmax cross-entropy. */
    @Override
    public Map<String, Double> evaluate(Dataset<SequenceBatch> ignored) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", crossEntropy(encoder, validation));
        metrics.putAll(NextItemEvaluation.evaluate(encoder, validation, evaluationSeed));
        return metrics;
    }

    /** The mean of {@code logsumexp(scores) - scores[target]} over the queries. */
    static double crossEntropy(NextItemScorer scorer, NextItemQueries queries) {
        double sum = 0;
        int n = queries.size();
        for (int from = 0; from < n; from += NextItemEvaluation.BATCH) {
            int to = Math.min(n, from + NextItemEvaluation.BATCH);
            float[][] scores = scorer.scores(Arrays.copyOfRange(queries.histories(), from, to));
            for (int i = from; i < to; i++) {
                float[] s = scores[i - from];
                double max = Double.NEGATIVE_INFINITY;
                for (float v : s) {
                    max = Math.max(max, v);
                }
                double z = 0;
                for (float v : s) {
                    z += Math.exp(v - max);
                }
                sum += max + Math.log(z) - s[queries.targets()[i]];
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
