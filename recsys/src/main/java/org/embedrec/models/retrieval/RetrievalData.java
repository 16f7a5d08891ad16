package org.embedrec.models.retrieval;

import java.util.Objects;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.features.CandidateFeatures;
import org.embedrec.features.QueryFeatures;

/**
 * A data set prepared for two-tower retrieval as the "deep recommenders" tutorial prepares
 * MovieLens: every interaction is a (user, timestamp; item) pair, the rating is ignored; the
 * query preprocessing is adapted on the training pairs only (users' vocabulary, timestamp range,
 * mean and variance), the candidate preprocessing on the titles of the whole catalogue; both
 * splits are encoded once.
 */
public record RetrievalData(QueryFeatures queryFeatures, CandidateFeatures candidateFeatures,
                            CandidateCatalogue catalogue, RetrievalExamples train, RetrievalExamples test) {

    public RetrievalData {
        Objects.requireNonNull(queryFeatures, "queryFeatures");
        Objects.requireNonNull(candidateFeatures, "candidateFeatures");
        Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
    }

    /** Adapts the preprocessing to {@code split.train()} and the catalogue of {@code data}, and encodes both splits. */
    public static RetrievalData prepare(RatingsData data, Split split) {
        Interactions train = split.train();
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training split is empty");
        }
        String[] titles = CandidateCatalogue.titlesOf(data);
        CandidateFeatures candidateFeatures = CandidateFeatures.adapt(titles);
        CandidateCatalogue catalogue = CandidateCatalogue.of(data.interactions().items().rawIds(), titles,
                candidateFeatures);
        String[] users = new String[train.size()];
        for (int i = 0; i < users.length; i++) {
            users[i] = train.users().rawId(train.user(i));
        }
        QueryFeatures queryFeatures = QueryFeatures.adapt(users, train.timestamps());
        return new RetrievalData(queryFeatures, candidateFeatures, catalogue,
                RetrievalExamples.of(train, queryFeatures, catalogue), RetrievalExamples.of(split.test(), queryFeatures, catalogue));
    }
}
