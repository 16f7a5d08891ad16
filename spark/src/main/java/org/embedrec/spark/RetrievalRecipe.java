package org.embedrec.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * Everything an executor needs to build its own copy of a retrieval model being trained, shipped
 * once per fit as a broadcast: the spec and the adapted preprocessing as JSON (the text a saved
 * model holds), the user and item ids in dense order, the catalogue as an item table (the item id
 * column, then every column a candidate feature reads, one row per catalogue item in catalogue
 * order), the names of the query features' columns other than the user, item and timestamp, and
 * whether rows carry timestamps, and the seed. Weights are broadcast anew at every step.
 *
 * @param id distinguishes this fit's replicas from any other's in an executor's pool
 */
record RetrievalRecipe(String id, String specJson, String encoderJson, List<String> userIds, List<String> itemIds,
                       List<String> catalogueColumns, List<String[]> catalogueRows, List<String> queryColumns,
                       boolean hasTimestamps, long seed) implements Serializable {
    private static final long serialVersionUID = 1L;

    RetrievalRecipe {
        Objects.requireNonNull(id, "id");
        userIds = List.copyOf(userIds);
        itemIds = List.copyOf(itemIds);
        catalogueColumns = List.copyOf(catalogueColumns);
        catalogueRows = List.copyOf(catalogueRows);
        queryColumns = List.copyOf(queryColumns);
    }
}
