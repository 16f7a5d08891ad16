package org.embedrec.recommend;

import java.util.Map;

/**
 * One item of an answer.
 *
 * @param itemId the item's raw id
 * @param score the model's score for it (see {@link Recommendations#source()}): the inner
 *     product of query and candidate embeddings for a retrieval model, the predicted rating for
 *     a ranking model without retrieval, the item's share of training interactions for the
 *     popularity fallback, the cosine of two candidate embeddings for {@link Recommender#similar}
 * @param seen whether the user interacted with it in training
 * @param title the item's title attribute, or null when it has none
 * @param attributes the item's attributes (the columns of the item table the model was trained with)
 */
public record RecommendedItem(String itemId, float score, boolean seen, String title, Map<String, String> attributes) {}
