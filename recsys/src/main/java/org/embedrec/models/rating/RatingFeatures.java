package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.data.Interactions;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Users;
import org.embedrec.features.Discretization;
import org.embedrec.features.StringLookup;

/**
 * Turns rows of a {@link RatingsData} into {@link RatingExamples}: user and item ids always,
 * and with side features the columns Wide &amp; Deep uses: the user's occupation, gender and
 * age bucket (Keras's census boundaries 18, 25, ... 65), the item's genres as a multi-valued
 * column, and the crosses user x genre and occupation x genre. Side tables that a data set
 * lacks are left out of the schema.
 */
public final class RatingFeatures {
    static final String OCCUPATION = "occupation";
    static final String GENDER = "gender";
    static final String AGE = "age_bucket";
    static final String GENRES = "genres";
    private static final Discretization AGE_BUCKETS =
            Discretization.withBoundaries(18, 25, 30, 35, 40, 45, 50, 55, 60, 65);
    private static final int CROSS_BUCKETS = 20_000;

    private RatingFeatureSpec spec;
    private final Map<String, int[]> perUser = new HashMap<>();
    private int[] genresPerItem;
    private int genreWidth;

    private RatingFeatures(RatingFeatureSpec spec) {
        this.spec = spec;
    }

    /** User and item ids only: what mf, dot-mlp and ncf-mlp read. */
    public static RatingFeatures idsOnly(RatingsData data) {
        Interactions all = data.interactions();
        return new RatingFeatures(RatingFeatureSpec.of(all.numUsers(), all.numItems()));
    }

    /** Ids plus whatever side features the data set has. */
    public static RatingFeatures withSideFeatures(RatingsData data) {
        Interactions all = data.interactions();
        RatingFeatureSpec spec = RatingFeatureSpec.of(all.numUsers(), all.numItems());
        RatingFeatures f = new RatingFeatures(spec);
        List<String> userColumns = new ArrayList<>();
        if (data.users().isPresent()) {
            Users users = data.users().get();
            int n = all.numUsers();
            String[] occupations = new String[n];
            String[] genders = new String[n];
            int[] ages = new int[n];
            boolean hasOcc = false;
            boolean hasGender = false;
            boolean hasAge = false;
            for (int u = 0; u < n; u++) {
                occupations[u] = u < users.size() ? users.occupation(u).orElse("") : "";
                genders[u] = u < users.size() ? users.gender(u).orElse("") : "";
                ages[u] = u < users.size() && users.age(u).isPresent() ? AGE_BUCKETS.bucket(users.age(u).getAsInt()) + 1 : 0;
                hasOcc |= !occupations[u].isEmpty();
                hasGender |= !genders[u].isEmpty();
                hasAge |= ages[u] > 0;
            }
            if (hasOcc) {
                StringLookup lookup = StringLookup.builder().adapt(occupations).build();
                f.perUser.put(OCCUPATION, lookup.lookup(occupations));
                spec = spec.withCategorical(OCCUPATION, lookup.vocabularySize());
                userColumns.add(OCCUPATION);
            }
            if (hasGender) {
                StringLookup lookup = StringLookup.builder().adapt(genders).build();
                f.perUser.put(GENDER, lookup.lookup(genders));
                spec = spec.withCategorical(GENDER, lookup.vocabularySize());
            }
            if (hasAge) {
                f.perUser.put(AGE, ages);
                spec = spec.withCategorical(AGE, AGE_BUCKETS.numBins() + 1);
            }
        }
        if (data.items().isPresent() && !data.items().get().genreNames().isEmpty()) {
            Items items = data.items().get();
            int n = all.numItems();
            int width = 1;
            for (int i = 0; i < Math.min(n, items.size()); i++) {
                width = Math.max(width, items.genreIndices(i).length);
            }
            int[] genres = new int[n * width];
            java.util.Arrays.fill(genres, RatingFeatureSpec.PAD);
            for (int i = 0; i < Math.min(n, items.size()); i++) {
                int[] g = items.genreIndices(i);
                System.arraycopy(g, 0, genres, i * width, g.length);
            }
            f.genresPerItem = genres;
            f.genreWidth = width;
            spec = spec.withMultiValued(GENRES, items.genreNames().size(), width)
                    .withCross(RatingFeatureSpec.USER, GENRES, CROSS_BUCKETS);
            for (String c : userColumns) {
                spec = spec.withCross(c, GENRES, CROSS_BUCKETS);
            }
        }
        f.spec = spec;
        return f;
    }

    public RatingFeatureSpec spec() {
        return spec;
    }

    /** The examples of {@code rows}, whose ids share the data set's id mappings. */
    public RatingExamples examples(Interactions rows) {
        int n = rows.size();
        int[] users = rows.userIds();
        int[] items = rows.itemIds();
        Map<String, int[]> categorical = new HashMap<>();
        for (RatingFeatureSpec.Categorical c : spec.categorical()) {
            int[] table = perUser.get(c.name());
            int[] col = new int[n];
            for (int i = 0; i < n; i++) {
                col[i] = table[users[i]];
            }
            categorical.put(c.name(), col);
        }
        Map<String, int[]> multi = new HashMap<>();
        if (genresPerItem != null) {
            int[] col = new int[n * genreWidth];
            for (int i = 0; i < n; i++) {
                System.arraycopy(genresPerItem, items[i] * genreWidth, col, i * genreWidth, genreWidth);
            }
            multi.put(GENRES, col);
        }
        return new RatingExamples(spec, users, items, rows.ratings(), categorical, multi);
    }
}
