package org.embedrec.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.engine.Rng;
import org.embedrec.io.TwoTowerModelFiles;
import org.embedrec.models.retrieval.RetrievalData;
import org.embedrec.models.retrieval.TwoTowerConfig;
import org.embedrec.models.retrieval.TwoTowerModel;
import org.embedrec.models.retrieval.TwoTowerTraining;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.UserHistory;

/**
 * A two-tower directory in the format {@code train --model two-tower --save} wrote before the
 * preset trained through its spec ({@link TwoTowerModelFiles}), made as that command made it, so
 * that {@code recommend}, {@code evaluate} and {@code serve} are tested on the directories users
 * already have.
 */
final class HandWrittenTwoTower {
    private HandWrittenTwoTower() {}

    /** Trains the hand-written model on {@code split} of {@code data} and saves it to {@code dir}. */
    static TwoTowerRecommender save(RatingsData data, String splitSpec, TwoTowerConfig config, Path dir)
            throws IOException {
        Split split = DataOptions.split(data, splitSpec, config.seed());
        RetrievalData prepared = RetrievalData.prepare(data, split);
        TwoTowerModel model = new TwoTowerModel(prepared.queryFeatures(), prepared.candidateFeatures(), config,
                new Rng(config.seed()));
        TwoTowerTraining.fit(model, prepared.train(), prepared.test());
        TwoTowerRecommender recommender = TwoTowerRecommender.build(model, prepared.catalogue(),
                UserHistory.of(split.train()));
        TwoTowerModelFiles.save(dir, recommender, data.name(), splitSpec);
        return recommender;
    }
}
