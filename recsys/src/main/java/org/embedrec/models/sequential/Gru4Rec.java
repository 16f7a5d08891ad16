package org.embedrec.models.sequential;

import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.GRU;

/**
 * GRU4Rec (Hidasi et al., 2016), in its common form with tied embeddings: item embeddings,
 * dropout, {@code layers} stacked GRUs of the embedding width over the left-padded sequence (padded
 * steps change no state), and the state after each step scored against the item table.
 */
public final class Gru4Rec extends SequenceEncoder {
    public static final String NAME = "gru4rec";

    private final Dropout dropout;
    private final GRU[] grus;

    public Gru4Rec(int numItems, int dim, int layers, int maxLength, double dropoutRate, Rng rng) {
        super(NAME, numItems, dim, maxLength, rng);
        if (layers < 1) {
            throw new IllegalArgumentException("gru4rec: layers must be at least 1, got " + layers);
        }
        this.dropout = addChild(new Dropout(dropoutRate, rng));
        this.grus = new GRU[layers];
        for (int i = 0; i < layers; i++) {
            grus[i] = addChild(GRU.builder(dim, dim).name("gru_" + i).returnSequences(true).build(rng));
        }
    }

    @Override
    public Tensor encode(SequenceBatch batch) {
        Tensor x = dropout.apply(items.lookup(batch.tokens(), batch.batch(), batch.time()));
        for (GRU gru : grus) {
            x = gru.apply(x, batch.mask());
        }
        return x;
    }
}
