package org.embedrec.models.retrieval;

import java.util.List;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.recommend.UserHistory;

/**
 * A small two-tower model trained for two epochs on planted synthetic data (60 users, 40 items):
 * the fixture of the recommending and model-file tests. A fixed seed gives the same model.
 */
public record TrainedTwoTower(RatingsData data, Split split, RetrievalData prepared, TwoTowerModel model,
                              TwoTowerRecommender recommender) {

    public static TrainedTwoTower train(long seed) {
        RatingsData data = SyntheticMovieLens.generate(
                SyntheticMovieLens.Config.defaults().withSize(60, 40, 12).withSeed(5)).data();
        Split split = Split.random(data.interactions(), 0.8, seed);
        RetrievalData prepared = RetrievalData.prepare(data, split);
        TwoTowerConfig config = TwoTowerConfig.defaults().withEmbeddingDim(8).withLayers(List.of(12, 6))
                .withBatchSize(64).withEpochs(2).withValidationFreq(2).withSeed(seed);
        TwoTowerModel model = new TwoTowerModel(prepared.queryFeatures(), prepared.candidateFeatures(), config,
                new Rng(seed));
        TwoTowerTraining.fit(model, prepared.train(), null);
        TwoTowerRecommender recommender = TwoTowerRecommender.build(model, prepared.catalogue(),
                UserHistory.of(split.train()));
        return new TrainedTwoTower(data, split, prepared, model, recommender);
    }
}
