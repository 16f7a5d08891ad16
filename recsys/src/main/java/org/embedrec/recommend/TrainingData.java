package org.embedrec.recommend;

import java.util.Objects;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.Interactions;

/**
 * What a recommender is built from besides the model: every interaction the model's catalogue
 * was made from ({@code all}, whose items, with the item table's others, are the catalogue), the
 * training part of them ({@code train}, sharing {@code all}'s ids: what each user has seen, their
 * latest features, the items' popularity), and the optional item and user tables (the items'
 * attributes for filtering and display; the users' features).
 */
public record TrainingData(Interactions all, Interactions train, AttributeTable items, AttributeTable users) {
    public TrainingData {
        Objects.requireNonNull(all, "all");
        Objects.requireNonNull(train, "train");
        if (train.users() != all.users() || train.items() != all.items()) {
            throw new IllegalArgumentException("training data: the training rows must share the ids of all rows "
                    + "(a split of them)");
        }
    }
}
