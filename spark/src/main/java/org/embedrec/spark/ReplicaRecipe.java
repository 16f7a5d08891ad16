package org.embedrec.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Everything an executor needs to build its own copy of the model being trained, shipped once
 * per fit as a broadcast: the spec and the adapted preprocessing as JSON (the same text a saved
 * model holds), the user and item ids in dense order, each id's training count (for the
 * frequency-weighted L2), the training labels' mean and range, and the seed. Weights are not
 * here: they are broadcast anew at every step.
 *
 * @param id distinguishes this fit's replicas from any other's in an executor's pool
 */
record ReplicaRecipe(String id, String specJson, String encoderJson, List<String> userIds, List<String> itemIds,
                     int[] userCounts, int[] itemCounts, float meanLabel, float minLabel, float maxLabel, long seed)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    ReplicaRecipe {
        Objects.requireNonNull(id, "id");
        userIds = List.copyOf(userIds);
        itemIds = List.copyOf(itemIds);
        if (userCounts.length != userIds.size() || itemCounts.length != itemIds.size()) {
            throw new IllegalArgumentException("replica recipe: " + userCounts.length + " user counts for "
                    + userIds.size() + " users, " + itemCounts.length + " item counts for " + itemIds.size() + " items");
        }
    }
}
