package org.embedrec.data;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The item side table, row {@code i} describing dense item {@code i} of the interactions'
 * item {@link IdMapping}: a title, an optional release date, an optional year (from the title's
 * trailing "(1995)" or else the release date), and genres as indices into {@link #genreNames()}.
 */
public final class Items {
    private final String[] titles;
    private final LocalDate[] releaseDates;
    private final int[] years;
    private final int[][] genres;
    private final List<String> genreNames;

    private Items(String[] titles, LocalDate[] releaseDates, int[] years, int[][] genres, List<String> genreNames) {
        this.titles = titles;
        this.releaseDates = releaseDates;
        this.years = years;
        this.genres = genres;
        this.genreNames = genreNames;
    }

    public static Builder builder(List<String> genreNames) {
        return new Builder(genreNames);
    }

    public int size() {
        return titles.length;
    }

    public String title(int item) {
        return titles[item];
    }

    public Optional<LocalDate> releaseDate(int item) {
        return Optional.ofNullable(releaseDates[item]);
    }

    public OptionalInt year(int item) {
        return years[item] == 0 ? OptionalInt.empty() : OptionalInt.of(years[item]);
    }

    /** All genre names; an item's genres are indices into this list. */
    public List<String> genreNames() {
        return genreNames;
    }

    /** The genre indices of an item, ascending. */
    public int[] genreIndices(int item) {
        return genres[item].clone();
    }

    /** The genre names of an item. */
    public List<String> genres(int item) {
        int[] g = genres[item];
        List<String> names = new ArrayList<>(g.length);
        for (int k : g) {
            names.add(genreNames.get(k));
        }
        return names;
    }

    public boolean hasGenre(int item, int genre) {
        return Arrays.binarySearch(genres[item], genre) >= 0;
    }

    /**
     * The year in a title's trailing "(1995)", allowing trailing spaces, or 0 if there is none.
     * Written out rather than as a regex because it runs once per item on every load.
     */
    static int yearFromTitle(String title) {
        int end = title.length();
        while (end > 0 && title.charAt(end - 1) == ' ') {
            end--;
        }
        if (end < 6 || title.charAt(end - 1) != ')' || title.charAt(end - 6) != '(') {
            return 0;
        }
        int year = 0;
        for (int k = end - 5; k < end - 1; k++) {
            char c = title.charAt(k);
            if (c < '0' || c > '9') {
                return 0;
            }
            year = year * 10 + (c - '0');
        }
        return year;
    }

    @Override
    public String toString() {
        return "Items[size=" + size() + ", genres=" + genreNames.size() + "]";
    }

    /** Appends items in dense id order. */
    public static final class Builder {
        private final List<String> genreNames;
        private final List<String> titles = new ArrayList<>();
        private final List<LocalDate> dates = new ArrayList<>();
        private final List<int[]> genres = new ArrayList<>();
        private int[] years = new int[256];

        private Builder(List<String> genreNames) {
            this.genreNames = List.copyOf(genreNames);
        }

        /**
         * Adds the next item. The year is taken from the title, else from the release date.
         * @param releaseDate may be null
         * @param genreIndices indices into the genre names, in any order, without duplicates
         */
        public Builder add(String title, LocalDate releaseDate, int[] genreIndices) {
            int[] g = genreIndices.clone();
            Arrays.sort(g);
            for (int k = 0; k < g.length; k++) {
                if (g[k] < 0 || g[k] >= genreNames.size()) {
                    throw new IllegalArgumentException("genre index " + g[k] + " outside [0, " + genreNames.size() + ")");
                }
                if (k > 0 && g[k] == g[k - 1]) {
                    throw new IllegalArgumentException("duplicate genre index " + g[k]);
                }
            }
            int year = yearFromTitle(title);
            if (year == 0 && releaseDate != null) {
                year = releaseDate.getYear();
            }
            if (titles.size() == years.length) {
                years = Arrays.copyOf(years, years.length * 2);
            }
            years[titles.size()] = year;
            titles.add(title);
            dates.add(releaseDate);
            genres.add(g);
            return this;
        }

        public int size() {
            return titles.size();
        }

        public Items build() {
            int n = titles.size();
            return new Items(titles.toArray(new String[0]), dates.toArray(new LocalDate[0]), Arrays.copyOf(years, n),
                    genres.toArray(new int[0][]), genreNames);
        }
    }
}
