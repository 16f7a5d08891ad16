package org.embedrec.models.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.embedrec.data.IdMapping;
import org.embedrec.data.Interactions;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.features.CandidateInputs;
import org.embedrec.features.QueryInputs;
import org.junit.jupiter.api.Test;

/** Pairs are encoded once and batched by copying: what a batch holds, and where titles come from. */
class RetrievalExamplesTest {

    @Test
    void aBatchHoldsTheEncodedQueryAndTheCatalogueRowOfEachPairInIndexOrder() {
        RatingsData data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(20, 15, 8)).data();
        Split split = Split.random(data.interactions(), 0.8, 3);
        RetrievalData prepared = RetrievalData.prepare(data, split);
        Interactions test = split.test();
        int[] indices = {9, 3, 0, 5};

        RetrievalBatch batch = prepared.test().batch(indices, 1, 4);

        assertThat(batch.size()).isEqualTo(3);
        for (int k = 0; k < 3; k++) {
            int row = indices[1 + k];
            String user = test.users().rawId(test.user(row));
            QueryInputs expected = prepared.queryFeatures().encode(user, test.timestamp(row));
            assertThat(batch.queries().users()[k]).isEqualTo(expected.users()[0]);
            assertThat(batch.queries().timeBuckets()[k]).isEqualTo(expected.timeBuckets()[0]);
            assertThat(batch.queries().normalizedTimes()[k]).isEqualTo(expected.normalizedTimes()[0]);
            int item = test.item(row);
            assertThat(batch.candidateIds()[k]).isEqualTo(item);
            CandidateInputs title = prepared.candidateFeatures().encode(new String[] {data.items().get().title(item)});
            assertThat(batch.candidates().titleIds()[k]).isEqualTo(title.titleIds()[0]);
            int len = title.titleLength();
            assertThat(java.util.Arrays.copyOfRange(batch.candidates().titleTokens(), k * len, (k + 1) * len))
                    .containsExactly(title.titleTokens());
        }
        int[] counts = prepared.train().itemCounts();
        assertThat(counts).hasSize(data.interactions().numItems());
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(split.train().size());
    }

    @Test
    void withoutAnItemTableTheRawItemIdIsTheTitle() {
        Interactions.Builder rows = Interactions.builder();
        rows.add(0, 0, 5, 100).add(0, 1, 3, 200).add(1, 1, 4, 300).add(1, 2, 1, 400).add(2, 0, 2, 500);
        Interactions all = rows.build(IdMapping.of(List.of("u1", "u2", "u3")), IdMapping.of(List.of("i10", "i20", "i30")));
        RatingsData data = RatingsData.of("tiny", all);

        assertThat(CandidateCatalogue.titlesOf(data)).containsExactly("i10", "i20", "i30");
        RetrievalData prepared = RetrievalData.prepare(data, Split.random(all, 0.6, 1));
        assertThat(prepared.catalogue().size()).isEqualTo(3);
        assertThat(prepared.catalogue().itemId(2)).isEqualTo("i30");
        assertThat(prepared.candidateFeatures().titleLength()).isEqualTo(1);
    }

    @Test
    void pairsMustIndexTheCatalogueTheyAreBatchedFrom() {
        RatingsData data = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(20, 15, 8)).data();
        RetrievalData prepared = RetrievalData.prepare(data, Split.random(data.interactions(), 0.8, 3));
        RatingsData other = SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults().withSize(20, 16, 8)).data();

        assertThatThrownBy(() -> RetrievalExamples.of(other.interactions(), prepared.queryFeatures(), prepared.catalogue()))
                .hasMessageContaining("the interactions have 16 items but the catalogue has 15");
    }
}
