package org.embedrec.spark;

import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * ML persistence of the three models (rating, retrieval, sequential), which differ only in their
 * class: Spark's metadata (uid and params) at the path, then the embedrec model directory beside
 * it ({@link ModelArtifact#saveWithMetadata}); reading makes the model from its uid and artifact,
 * then sets the saved params.
 */
final class ArtifactPersistence {
    /** Makes a model of one class from its uid and saved artifact (its constructor). */
    interface ModelMaker<M> {
        M make(String uid, ModelArtifact artifact);
    }

    private ArtifactPersistence() {}

    static MLWriter writer(Params model, ModelArtifact artifact) {
        return new Writer(model, artifact);
    }

    static <M extends Params> MLReader<M> reader(Class<M> type, ModelMaker<M> maker) {
        return new Reader<>(type, maker);
    }

    private static final class Writer extends MLWriter {
        private final Params model;
        private final ModelArtifact artifact;

        Writer(Params model, ModelArtifact artifact) {
            this.model = model;
            this.artifact = artifact;
        }

        @Override
        public void saveImpl(String path) {
            artifact.saveWithMetadata(model, path, sparkSession());
        }
    }

    private static final class Reader<M extends Params> extends MLReader<M> {
        private final Class<M> type;
        private final ModelMaker<M> maker;

        Reader(Class<M> type, ModelMaker<M> maker) {
            this.type = type;
            this.maker = maker;
        }

        @Override
        public M load(String path) {
            // The metadata names the class it was written for: reading another model's directory is refused.
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    type.getName());
            M model = maker.make(metadata.uid(), ModelArtifact.readBesideMetadata(path, sparkSession()));
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
