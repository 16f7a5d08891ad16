package org.embedrec.serve;

import java.nio.file.Path;
import java.time.Instant;
import org.embedrec.recommend.Recommender;

/**
 * One model as served at one moment: a request takes the current {@code ServedModel} once and
 * answers wholly from it, so a reload never mixes two models in one answer.
 *
 * @param name the name the model is served under
 * @param directory the model directory it was loaded from
 * @param recommender the loaded model
 * @param loadedAt when it was loaded
 */
record ServedModel(String name, Path directory, Recommender recommender, Instant loadedAt) {
    /** The saved directory's version number ({@code DIR/N}), 0 for a directory saved before versions. */
    long version() {
        return recommender.version();
    }
}
