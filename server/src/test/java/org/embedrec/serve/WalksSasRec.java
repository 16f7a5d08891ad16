package org.embedrec.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.engine.Rng;
import org.embedrec.io.SequentialModelFiles;
import org.embedrec.models.sequential.NextItemEvaluation;
import org.embedrec.models.sequential.NextItemLoss;
import org.embedrec.models.sequential.NextItemSplit;
import org.embedrec.models.sequential.SasRec;
import org.embedrec.models.sequential.SequenceEncoder;
import org.embedrec.models.sequential.SequentialConfig;
import org.embedrec.models.sequential.SequentialModels;

/**
 * A small sasrec model saved for the server tests, trained on planted walks: user uN starts at a
 * random one of 20 items i0..i19 and steps +1 (even N) or +3 (odd N) six times, so the next item
 * after a history is predictable.
 */
final class WalksSasRec {
    private WalksSasRec() {
    }

    /** Trains the model and saves it as a model directory at {@code dir}; returns {@code dir}. */
    static Path trainAndSave(Path dir) throws IOException {
        Rng rng = new Rng(3);
        Interactions.Builder b = Interactions.builder().hasTimestamps(true);
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add("i" + i);
        }
        for (int u = 0; u < 80; u++) {
            users.add("u" + u);
            int item = rng.nextInt(20);
            for (int t = 0; t < 6; t++) {
                b.add(u, item, 1, t);
                item = (item + (u % 2 == 0 ? 1 : 3)) % 20;
            }
        }
        RatingsData data = RatingsData.of("walks", b.build(IdMapping.of(users), IdMapping.of(items)));
        NextItemSplit split = NextItemSplit.leaveLastOut(data.interactions());
        SequentialConfig config = new SequentialConfig(SasRec.NAME, 8, 1, 1, 6, 0.0, 0.01, 16, 3,
                NextItemLoss.SOFTMAX, 10, 1);
        SequenceEncoder model = SequentialModels.fit(config, split, 100).model();
        model.setTraining(false);
        SequentialModelFiles.save(dir, SasRec.NAME, config, model, data,
                NextItemEvaluation.evaluate(model, split.test(), 1), 1);
        return dir;
    }
}
