package org.embedrec.models.retrieval;

import java.util.List;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.features.QueryFeatures;
import org.embedrec.features.QueryInputs;
import org.embedrec.models.TowerLayers;
import org.embedrec.nn.Module;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Sequential;

/**
 * The query tower of the "deep recommenders" tutorial:
 * {@code q = MLP([E_user[u] ; E_time[bucket(t)] ; normalize(t)])}, two {@code dim}-wide
 * embeddings and one float, so the stack's input is {@code 2 dim + 1} wide; the stack is relu
 * on all but its last layer, whose size is the query embedding's width.
 */
public final class QueryTower extends Module {
    private final Embedding users;
    private final Embedding timestamps;
    private final Sequential dense;
    private final int outputDim;

    /** A tower for inputs encoded by {@code features}, weights drawn from {@code rng}. */
    public QueryTower(QueryFeatures features, int embeddingDim, List<Integer> layers, Rng rng) {
        super("query_tower");
        this.users = addChild(Embedding.builder(features.userVocabularySize(), embeddingDim)
                .name("user_embedding").build(rng));
        this.timestamps = addChild(Embedding.builder(features.timestampBucketCount(), embeddingDim)
                .name("timestamp_embedding").build(rng));
        this.dense = addChild(TowerLayers.build(2 * embeddingDim + 1, layers, rng));
        this.outputDim = layers.get(layers.size() - 1);
    }

    /** Query embeddings {@code [n, outputDim]}, on the gradient tape when one is open. */
    public Tensor embed(QueryInputs inputs) {
        int n = inputs.size();
        Tensor time = Tensor.wrap(inputs.normalizedTimes(), n, 1);
        Tensor joined = Ops.concat(-1, users.lookup(inputs.users()), timestamps.lookup(inputs.timeBuckets()), time);
        return dense.apply(joined);
    }

    /** The width of the embeddings this tower outputs. */
    public int outputDim() {
        return outputDim;
    }

    /** The user id table, {@code [users + OOV, embeddingDim]}. */
    public Embedding userEmbedding() {
        return users;
    }

    /** The timestamp bucket table, {@code [buckets, embeddingDim]}. */
    public Embedding timestampEmbedding() {
        return timestamps;
    }
}
