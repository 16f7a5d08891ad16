package org.embedrec.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommendations;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The streamed recommend answer is the tree-built one ({@link AnswerJson#recommendations}, what the
 * server answered before) byte for byte: for every kind of answer the shop model gives, and for
 * items of any ids, titles, attributes and scores, with every attribute or a selection of them.
 */
class RecommendationsWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecommendationsWriter WRITER = new RecommendationsWriter(JSON.getFactory());
    private static ServedModel served;

    @BeforeAll
    static void load() throws Exception {
        Recommender shop = Recommender.load(ShopServer.FROZEN);
        served = new ServedModel("default", ShopServer.FROZEN, shop, Instant.EPOCH);
    }

    @Test
    void everyShopAnswerIsTheTreeAnswerByteForByte() throws Exception {
        Recommender r = served.recommender();
        List<Recommendations> answers = new ArrayList<>();
        for (String user : r.userIds()) {
            for (int k : new int[] {1, 7, 31}) {
                answers.add(r.recommend(Query.user(user).k(k).excludeSeen(true).build()));
                answers.add(r.recommend(Query.user(user).k(k).excludeSeen(false).at(1_700_000_000L).build()));
            }
        }
        answers.add(r.recommend(Query.user("✓-nobody").k(5).build())); // the popularity fallback
        answers.add(r.recommend(Query.features(Map.of("country", "c1", "device", "d0")).k(4).build()));
        for (String item : r.catalogue().itemIds()) {
            answers.add(r.similar(item, 6));
        }
        // A shop model has no history queries: that source is the next-item models', written below.
        assertThat(answers).extracting(Recommendations::source).contains(Recommendations.Source.USER,
                Recommendations.Source.POPULARITY, Recommendations.Source.FEATURES, Recommendations.Source.SIMILAR_ITEMS);
        for (Recommendations answer : answers) {
            assertSameBytes(answer);
        }
    }

    @Test
    void unusualValuesAreWrittenAsTheTreeWritesThem() throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("title", "\"Quoted\" \\ back\tslash \u0001 \u00e9\u2713 \ud83c\udfac");
        attributes.put("genres", "");
        List<RecommendedItem> items = List.of(
                new RecommendedItem("</script>", Float.NaN, true, attributes.get("title"), attributes),
                new RecommendedItem("a", -0.0f, false, null, Map.of()),
                new RecommendedItem("b", Float.MIN_VALUE, false, "", Map.of("k", "v")),
                new RecommendedItem("c", Float.NEGATIVE_INFINITY, true, null, Map.of()),
                new RecommendedItem("d", 1.0E-7f, false, null, Map.of()));
        assertSameBytes(new Recommendations(items, Recommendations.Source.USER, OptionalLong.of(-5)));
        assertSameBytes(new Recommendations(List.of(), Recommendations.Source.POPULARITY, OptionalLong.empty()));
        assertSameBytes(new Recommendations(items, Recommendations.Source.HISTORY, OptionalLong.empty(),
                List.of("gone", "\u00e9\u2713", "")));
    }

    @Property(tries = 300)
    void anyItemsAreWrittenAsTheTreeWritesThem(@ForAll @Size(max = 12) List<String> ids,
                                               @ForAll float score, @ForAll String title, @ForAll long time)
            throws Exception {
        List<RecommendedItem> items = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> attributes = i % 2 == 0 ? Map.of() : Map.of("title", title, "id", ids.get(i));
            items.add(new RecommendedItem(ids.get(i), score * i, i % 3 == 0, i % 2 == 0 ? null : title, attributes));
        }
        assertSameBytes(new Recommendations(items, Recommendations.Source.FEATURES, OptionalLong.of(time)));
    }

    @Property(tries = 100)
    void selectedAttributesAreWrittenAsTheTreeWritesThem(@ForAll @Size(max = 6) List<String> ids, @ForAll String title,
                                                         @ForAll String colour) throws Exception {
        List<RecommendedItem> items = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("title", title);
            if (i % 2 == 1) {
                attributes.put("colour", colour);
            }
            items.add(new RecommendedItem(ids.get(i), i, false, title, attributes));
        }
        Recommendations answer = new Recommendations(items, Recommendations.Source.USER, OptionalLong.empty());
        List<String> known = List.of("title", "colour", "size");
        for (List<String> names : List.of(List.of(""), List.of("colour"), List.of("size"), List.of("colour", "title"))) {
            assertSameBytes(answer, AttributeSelection.fromParameters(Map.of("attributes", names), known));
        }
    }

    @Test
    void onlyTheSelectedAttributesAreWrittenInTheOrderAsked() throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("title", "T");
        attributes.put("colour", "red");
        Recommendations answer = new Recommendations(List.of(new RecommendedItem("a", 1f, false, "T", attributes),
                new RecommendedItem("b", 0.5f, false, null, Map.of("title", "U"))),
                Recommendations.Source.USER, OptionalLong.empty());
        List<String> known = List.of("title", "colour", "size");
        String items = ",\"items\":[";
        assertThat(written(answer, Map.of("attributes", List.of("colour", "title")), known)).endsWith(items
                + "{\"id\":\"a\",\"score\":1.0,\"seen\":false,\"title\":\"T\",\"attributes\":{\"colour\":\"red\",\"title\":\"T\"}},"
                + "{\"id\":\"b\",\"score\":0.5,\"seen\":false,\"attributes\":{\"title\":\"U\"}}]}");
        // No selected attribute on an item: no empty object; attributes= asks for none; no parameter, all.
        assertThat(written(answer, Map.of("attributes", List.of("size")), known)).endsWith(items
                + "{\"id\":\"a\",\"score\":1.0,\"seen\":false,\"title\":\"T\"},"
                + "{\"id\":\"b\",\"score\":0.5,\"seen\":false}]}");
        assertThat(written(answer, Map.of("attributes", List.of("")), known))
                .isEqualTo(written(answer, Map.of("attributes", List.of("size")), known));
        assertThat(written(answer, Map.of(), known)).contains("\"attributes\":{\"title\":\"T\",\"colour\":\"red\"}");
    }

    private static String written(Recommendations answer, Map<String, List<String>> params, List<String> known) {
        return new String(WRITER.write(served, answer, AttributeSelection.fromParameters(params, known)),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void assertSameBytes(Recommendations answer) throws Exception {
        assertSameBytes(answer, AttributeSelection.ALL);
    }

    private static void assertSameBytes(Recommendations answer, AttributeSelection attributes) throws Exception {
        byte[] tree = JSON.writeValueAsBytes(AnswerJson.recommendations(served, answer, attributes));
        byte[] streamed = WRITER.write(served, answer, attributes);
        assertThat(new String(streamed, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(tree, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(streamed).isEqualTo(tree);
    }
}
