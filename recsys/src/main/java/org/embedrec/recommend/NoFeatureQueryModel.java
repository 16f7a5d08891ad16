package org.embedrec.recommend;

import java.util.List;

/**
 * A {@link QueryModel} whose query is a user (or the user's history) and nothing else: it reads
 * no feature column and no time, so a query's features never change its answer.
 */
interface NoFeatureQueryModel extends QueryModel {
    @Override
    default List<String> queryColumns() {
        return List.of();
    }

    @Override
    default String userColumn() {
        return null;
    }

    @Override
    default String timeColumn() {
        return null;
    }

    @Override
    default String columnOfFeature(String name) {
        return null;
    }

    @Override
    default boolean readsTime() {
        return false;
    }

    @Override
    default boolean hasFeatures(Asker asker) {
        return false;
    }
}
