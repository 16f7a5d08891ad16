package org.embedrec.models.retrieval;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.CandidateFeatures;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.TextVectorization;
import org.embedrec.models.TowerLayers;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The candidate tower of the "deep recommenders" tutorial:
 * {@code c = MLP([E_title[title] ; mean of E_token[w] over the title's words w])}: the mean
 * skips padding (Keras' {@code mask_zero=True} with {@code GlobalAveragePooling1D}), and a title
 * without any word contributes a zero vector. The stack's input is {@code 2 dim} wide; its last
 * layer's size is the candidate embedding's width.
 */
public final class CandidateTower extends Module {
    private final Embedding titles;
    private final Embedding tokens;
    private final Sequential dense;
    private final int outputDim;

    /** A tower for inputs encoded by {@code features}, weights drawn from {@code rng}. */
    public CandidateTower(CandidateFeatures features, int embeddingDim, List<Integer> layers, Rng rng) {
        super("candidate_tower");
        this.titles = addChild(Embedding.builder(features.titleVocabularySize(), embeddingDim)
                .name("title_embedding").build(rng));
        this.tokens = addChild(Embedding.builder(features.tokenVocabularySize(), embeddingDim)
                .name("title_text_embedding").build(rng));
        this.dense = addChild(TowerLayers.build(2 * embeddingDim, layers, rng));
        this.outputDim = layers.get(layers.size() - 1);
    }

    /** Candidate embeddings {@code [n, outputDim]}, on the gradient tape when one is open. */
    public Tensor embed(CandidateInputs inputs) {
        Tensor title = titles.lookup(inputs.titleIds());
        Tensor words = Ops.gatherMean(tokens.embeddings().value(), inputs.titleTokens(), inputs.titleLength(),
                TextVectorization.PAD_ID);
        return dense.apply(Ops.concat(-1, title, words));
    }

    /** The width of the embeddings this tower outputs. */
    public int outputDim() {
        return outputDim;
    }

    /** The title id table, {@code [titles + OOV, embeddingDim]}. */
    public Embedding titleEmbedding() {
        return titles;
    }

    /** The title token table, {@code [tokens + padding + OOV, embeddingDim]}. */
    public Embedding titleTextEmbedding() {
        return tokens;
    }
}
