package org.embedrec.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.ReadProgress;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLensFixtures;
import org.embedrec.features.FeatureDefinition;
import org.embedrec.features.FeatureSource;
import org.embedrec.features.FeatureSpec;
import java.util.List;
import org.embedrec.features.TowerInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data a spec names: CSV files with side tables, or a MovieLens directory with its movies and users. */
class SpecDataTest {

    @Test
    void thePresetsReadAndTheTutorialPresetTrainsOnAMovieLensDirectory(@TempDir Path dir) {
        assertThat(FeatureSpec.PRESETS).allSatisfy(name -> assertThat(FeatureSpec.preset(name).retrieval() != null
                || FeatureSpec.preset(name).rating() != null).isTrue());
        FeatureSpec spec = FeatureSpec.preset("two-tower").withTraining(new FeatureSpec.Training("adagrad", 0.1, 4, 1, 1));
        SpecData data = SpecData.read(spec, dir, MovieLensFixtures.ml100k(dir), BadLinePolicy.FAIL, ReadProgress.NONE);
        FeatureSource source = FeatureSource.of(spec, data.interactions().interactions(), data.items(), data.users());
        String[] titles = source.candidateValues(spec.feature("title_id"));
        assertThat(source.catalogueIds()).containsExactly("10", "20", "30", "40");
        assertThat(titles).containsExactly("Toy Tale (1995)", "Misérables, Les (1995)", "unknown", "Night Ride (1972)");
        assertThat(data.users().value("2", "occupation")).isEqualTo("other");
        assertThat(data.items().value("40", "genres")).contains("|");

        Split split = Split.random(data.interactions().interactions(), 0.75, 1);
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, data.interactions().interactions(), split,
                data.items(), data.users());
        FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 1));
        assertThat(fitted.history().epochs()).hasSize(1);
        assertThat(prepared.encoder().towerInputs(FeatureDefinition.CANDIDATE)).hasSize(2);
    }

    @Test
    void theRatingPresetsTrainOnAMovieLensDirectoryWideDeepAndDcnOnItsMoviesAndUsers(@TempDir Path dir) throws Exception {
        for (String name : List.of("mf", "dot-mlp", "ncf-mlp", "wide-deep", "dcn")) {
            FeatureSpec spec = FeatureSpec.preset(name);
            spec = spec.withTraining(new FeatureSpec.Training("adam", 0.01, 4, 1, 1, spec.training().l2(),
                    spec.training().l2Weighting()));
            SpecData data = SpecData.read(spec, dir, MovieLensFixtures.ml100k(Files.createDirectory(dir.resolve(name))), BadLinePolicy.FAIL,
                    ReadProgress.NONE);
            Split split = Split.random(data.interactions().interactions(), 0.75, 1);
            FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(spec, data.interactions().interactions(),
                    split, data.items(), data.users());
            FeatureExperiment.Fitted fitted = FeatureExperiment.fit(prepared, FeatureExperiment.Settings.of(spec, 1));
            assertThat(fitted.history().epochs()).as(name).hasSize(1);
            assertThat(FeatureExperiment.evaluate(fitted).get("rmse")).as(name).isBetween(0.0, 4.0);
        }
        FeatureSpec wideDeep = FeatureSpec.preset("wide-deep");
        SpecData data = SpecData.read(wideDeep, dir, MovieLensFixtures.ml100k(Files.createDirectory(dir.resolve("again"))), BadLinePolicy.FAIL,
                ReadProgress.NONE);
        FeatureExperiment.Prepared prepared = FeatureExperiment.prepare(wideDeep, data.interactions().interactions(),
                Split.random(data.interactions().interactions(), 0.75, 1), data.items(), data.users());
        assertThat(prepared.encoder().towerInputs(FeatureDefinition.QUERY)).extracting(TowerInput::name)
                .containsExactly("user_id", "occupation", "gender", "age_bucket");
        assertThat(prepared.encoder().towerInputs(FeatureDefinition.CANDIDATE)).extracting(TowerInput::name)
                .containsExactly("item_id", "genres");

        FeatureSpec dcn = FeatureSpec.preset("dcn");
        FeatureExperiment.Prepared crossed = FeatureExperiment.prepare(dcn, data.interactions().interactions(),
                Split.random(data.interactions().interactions(), 0.75, 1), data.items(), data.users());
        assertThat(crossed.encoder().towerInputs(FeatureDefinition.CANDIDATE)).extracting(TowerInput::name)
                .containsExactly("item_id", "genres", "year_bucket");
        assertThat(crossed.encoder().towerInputs(FeatureDefinition.QUERY)).extracting(TowerInput::name)
                .containsExactly("user_id", "occupation", "gender", "age_bucket", "timestamp_bucket", "timestamp");
        assertThat(dcn.ratingHead().crossLayers()).isEqualTo(2);
    }

    @Test
    void aMissingSideTableIsNamedWithWhereItWasLookedFor(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("rows.csv"), "u,i\na,b\n");
        FeatureSpec spec = FeatureSpec.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"data": {"user": "u", "item": "i", "items": {"path": "missing.csv", "id": "i"}},
                 "features": [{"name": "u", "kind": "string", "tower": "query"},
                              {"name": "i", "kind": "string", "tower": "candidate"}],
                 "tasks": {"retrieval": {}}}
                """), "spec");
        assertThatThrownBy(() -> SpecData.read(spec, dir, csv, BadLinePolicy.FAIL, ReadProgress.NONE))
                .hasMessageContaining("missing.csv").hasMessageContaining("relative to the spec file");
        assertThatThrownBy(() -> SpecData.read(spec, dir, dir.resolve("nope.csv"), BadLinePolicy.FAIL,
                ReadProgress.NONE)).hasMessageContaining("nope.csv: no such file");
    }

    @Test
    void aJdbcQueryGivesTheRowsWithEveryOtherColumnKeptForFeatures(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:mem:specdata;DB_CLOSE_DELAY=-1";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
             java.sql.Statement st = c.createStatement()) {
            st.execute("create table purchases (customer varchar(10), product varchar(10), device varchar(10))");
            st.execute("insert into purchases values ('a', 'x', 'tv'), ('b', 'y', 'phone'), ('a', 'y', 'tv')");
        }
        FeatureSpec spec = FeatureSpec.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                {"data": {"user": "CUSTOMER", "item": "PRODUCT"},
                 "features": [{"name": "CUSTOMER", "kind": "string", "tower": "query"},
                              {"name": "DEVICE", "kind": "string", "tower": "query"},
                              {"name": "PRODUCT", "kind": "string", "tower": "candidate"}],
                 "towers": {"query": {"layers": [8]}, "candidate": {"layers": [8]}},
                 "tasks": {"retrieval": {}}}
                """), "spec");
        SpecData data = SpecData.query(spec, dir, url, "select * from purchases order by customer, product",
                BadLinePolicy.FAIL);
        assertThat(data.interactions().interactions().size()).isEqualTo(3);
        FeatureSource source = FeatureSource.of(spec, data.interactions().interactions(), null, null);
        assertThat(source.queryValues(spec.feature("DEVICE"), data.interactions().interactions()))
                .containsExactly("tv", "tv", "phone");
    }
}
