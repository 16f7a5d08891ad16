package org.embedrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real embedded H2 database in memory, kept alive by one open connection per test. */
class JdbcReaderTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private String url;
    private Connection keepAlive;

    @BeforeEach
    void createDatabase() throws Exception {
        url = "jdbc:h2:mem:ratings" + COUNTER.incrementAndGet();
        keepAlive = DriverManager.getConnection(url);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE ratings (user_id INT, movie VARCHAR(20), stars DOUBLE, rated_at TIMESTAMP,"
                    + " source VARCHAR(10))");
            s.execute("INSERT INTO ratings VALUES (1, 'm1', 4.0, TIMESTAMP '1998-01-01 00:00:00', 'web'),"
                    + " (1, 'm2', 3.5, TIMESTAMP '1998-01-01 00:01:00', 'app'),"
                    + " (2, 'm1', 5.0, TIMESTAMP '1998-01-02 00:00:00', NULL)");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        keepAlive.close();
    }

    @Test
    void readsAQueryWithColumnsMappedByName() {
        ColumnMapping mapping = ColumnMapping.builder().user("user_id").item("movie").rating("stars")
                .timestamp("rated_at").build();

        RatingsData data = JdbcReader.read(url, "SELECT * FROM ratings ORDER BY rated_at", mapping);

        Interactions x = data.interactions();
        assertThat(x.size()).isEqualTo(3);
        assertThat(x.users().rawIds()).containsExactly("1", "2");
        assertThat(x.items().rawIds()).containsExactly("m1", "m2");
        assertThat(x.rating(1)).isEqualTo(3.5f);
        assertThat(x.timestamp(0)).as("1998-01-01T00:00:00Z").isEqualTo(883612800L);
        assertThat(x.timestamp(1)).isEqualTo(883612860L);
        assertThat(x.extraColumnNames()).containsExactly("SOURCE");
        assertThat(x.extraColumn("SOURCE")).containsExactly("web", "app", null);
        assertThat(data.name()).isEqualTo(url);
    }

    @Test
    void mapsByIndexAndReadsNumericTimestamps() {
        ColumnMapping mapping = ColumnMapping.builder().user(0).item(1).timestamp(2).build();

        Interactions x = JdbcReader.read(url, "SELECT movie, user_id, 12345 + user_id AS t FROM ratings", mapping)
                .interactions();

        assertThat(x.users().rawIds()).as("column 0 is the movie here").containsExactly("m1", "m2");
        assertThat(x.hasRatings()).isFalse();
        assertThat(x.timestamp(2)).isEqualTo(12347L);
    }

    @Test
    void badRowsAreNamedByRowNumber() throws Exception {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("INSERT INTO ratings VALUES (NULL, 'm3', 1.0, TIMESTAMP '1998-01-03 00:00:00', 'web')");
        }
        ColumnMapping mapping = ColumnMapping.builder().user("user_id").item("movie").rating("stars").build();
        String sql = "SELECT user_id, movie, stars FROM ratings ORDER BY rated_at";

        assertThatThrownBy(() -> JdbcReader.read(url, sql, mapping))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("query on " + url + " row 4: expected a user id in column 'USER_ID': 'null, m3, 1.0'");
        RatingsData data = JdbcReader.read(url, new Properties(), sql, mapping, BadLinePolicy.SKIP);
        assertThat(data.interactions().size()).isEqualTo(3);
        assertThat(data.skippedLines()).isEqualTo(1);
    }

    @Test
    void sqlErrorsAndMissingColumnsAreClear() throws Exception {
        ColumnMapping mapping = ColumnMapping.builder().user("user_id").item("item_id").build();

        assertThatThrownBy(() -> JdbcReader.read(url, "SELECT * FROM ratings", mapping))
                .hasMessageContaining("the item column 'item_id' is not among the columns [USER_ID, MOVIE, STARS,"
                        + " RATED_AT, SOURCE]");
        assertThatThrownBy(() -> JdbcReader.read(url + ";MODE=MySQL", "SELECT * FROM nowhere", mapping))
                .hasMessageStartingWith("query on " + url + " failed:");
        try (Connection c = DriverManager.getConnection(url)) {
            RatingsData data = JdbcReader.read(c, "test", "SELECT user_id, movie AS item_id FROM ratings", mapping,
                    BadLinePolicy.FAIL);
            assertThat(data.interactions().size()).isEqualTo(3);
            assertThat(c.isClosed()).isFalse();
        }
    }
}
