package org.embedrec;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package arrows of DESIGN.md, checked on the main classes of engine, nn and recsys (the
 * modules on this test's class path): arrows only point down, engine -> nn -> recsys, and inside
 * recsys from models down to tasks, metrics, features, index and on to data.
 */
class ArchitectureTest {

    /** Main classes only: a test may reach across packages to build its fixtures. */
    private static final ImportOption MAIN_CLASSES_ONLY =
            location -> !location.contains("/test-classes/");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(MAIN_CLASSES_ONLY)
            .importPackages("org.embedrec");

    private static final String[] RECSYS = {"org.embedrec.features..", "org.embedrec.data..",
        "org.embedrec.models..", "org.embedrec.tasks..", "org.embedrec.metrics..", "org.embedrec.index..",
        "org.embedrec.io..", "org.embedrec.recommend..", "org.embedrec.experiment.."};

    @Test
    void classesAreImported() {
        // Guards the rules below against passing vacuously on an empty import.
        assertThat(CLASSES.containPackage("org.embedrec.engine")).isTrue();
        assertThat(CLASSES.containPackage("org.embedrec.nn.optim")).isTrue();
        assertThat(CLASSES.containPackage("org.embedrec.data.movielens")).isTrue();
    }

    @Test
    void engineDependsOnNoOtherEmbedrecModule() {
        noClasses().that().resideInAPackage("org.embedrec.engine..")
                .should().dependOnClassesThat(resideInAPackage("org.embedrec..")
                        .and(resideOutsideOfPackages("org.embedrec.engine..")))
                .because("the engine is the bottom layer: tensors, ops and kernels know no layer, model or data set")
                .check(CLASSES);
    }

    @Test
    void nnDependsOnNoRecsysPackage() {
        noClasses().that().resideInAPackage("org.embedrec.nn..")
                .should().dependOnClassesThat().resideInAnyPackage(RECSYS)
                .because("nn (layers, optimizers, losses, the training loop) sits below recsys and serves any model")
                .check(CLASSES);
    }

    @Test
    void onlyTheKernelPackageUsesTheVectorApi() {
        noClasses().that().resideOutsideOfPackage("org.embedrec.engine.kernels")
                .should().dependOnClassesThat().resideInAPackage("jdk.incubator.vector..")
                .because("SIMD stays behind Kernels, with ScalarKernels as the always-correct reference (as Lucene does)")
                .check(CLASSES);
    }

    @Test
    void dataCoreKnowsNoDataSet() {
        noClasses().that().resideInAPackage("org.embedrec.data")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.embedrec.data.movielens..", "org.embedrec.data.synthetic..")
                .because("the data core (interactions, readers by column mapping, splits) serves any data set; "
                        + "MovieLens and the synthetic generator build on it, not the other way round")
                .check(CLASSES);
    }

    @Test
    void dataDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("org.embedrec.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.embedrec.features..",
                        "org.embedrec.models..", "org.embedrec.tasks..", "org.embedrec.metrics..",
                        "org.embedrec.index..", "org.embedrec.io..", "org.embedrec.recommend..",
                        "org.embedrec.experiment..")
                .because("data is the bottom of recsys: readers and splits know no feature, model or metric")
                .check(CLASSES);
    }

    @Test
    void featuresDependOnNoModelOrTask() {
        noClasses().that().resideInAPackage("org.embedrec.features..")
                .should().dependOnClassesThat().resideInAnyPackage("org.embedrec.models..", "org.embedrec.tasks..")
                .because("preprocessing layers and the feature spec are built into models, never the reverse")
                .check(CLASSES);
    }

    @Test
    void metricsDependOnNoModel() {
        noClasses().that().resideInAPackage("org.embedrec.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("org.embedrec.models..", "org.embedrec.tasks..")
                .because("a metric is defined on scores and labels (tested on hand-computed cases), whatever made them")
                .check(CLASSES);
    }

    @Test
    void indexDependsOnNoModel() {
        noClasses().that().resideInAPackage("org.embedrec.index..")
                .should().dependOnClassesThat().resideInAnyPackage("org.embedrec.models..", "org.embedrec.tasks..")
                .because("a top-K index searches vectors; models hand it their candidate embeddings")
                .check(CLASSES);
    }

    @Test
    void tasksDependOnNoModel() {
        noClasses().that().resideInAPackage("org.embedrec.tasks..")
                .should().dependOnClassesThat().resideInAPackage("org.embedrec.models..")
                .because("a task computes a loss and metrics from tensors and knows no model (TFRS's split); "
                        + "a model owns its towers and its tasks")
                .check(CLASSES);
    }

    @Test
    void genericModelsDependOnNoPreset() {
        noClasses().that().resideInAPackage("org.embedrec.models")
                .should().dependOnClassesThat().resideInAnyPackage("org.embedrec.models.retrieval..",
                        "org.embedrec.models.rating..", "org.embedrec.recommend..")
                .because("towers plus tasks on any features is the general API; the two-tower and rating presets "
                        + "and the recommender build on it, not the other way round")
                .check(CLASSES);
    }

    @Test
    void modelsDependOnNoExperimentRecommenderOrFiles() {
        noClasses().that().resideInAPackage("org.embedrec.models..")
                .should().dependOnClassesThat().resideInAnyPackage("org.embedrec.experiment..", "org.embedrec.io..",
                        "org.embedrec.recommend..")
                .because("a model is towers plus tasks; the experiment runs it, the recommender answers with it and "
                        + "io saves it, not the reverse")
                .check(CLASSES);
    }
}
