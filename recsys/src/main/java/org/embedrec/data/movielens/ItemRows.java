package org.embedrec.data.movielens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.data.Items;

/**
 * Collects item rows whose genres arrive as names ("Animation|Children's|Comedy") and builds an
 * {@link Items} table whose genre list is every name seen, in order of first appearance.
 */
final class ItemRows {
    private final List<String> titles = new ArrayList<>();
    private final List<int[]> genres = new ArrayList<>();
    private final List<String> genreNames = new ArrayList<>();
    private final Map<String, Integer> genreIndex = new HashMap<>();
    private final String noGenres;

    /** @param noGenres the marker meaning "no genres", e.g. "(no genres listed)", or null */
    ItemRows(String noGenres) {
        this.noGenres = noGenres;
    }

    void add(String title, String pipeSeparatedGenres) {
        String g = pipeSeparatedGenres.trim();
        int[] indices;
        if (g.isEmpty() || g.equals(noGenres)) {
            indices = new int[0];
        } else {
            String[] names = new String[32];
            int n = Math.min(DelimitedLine.split(g, '|', names), names.length);
            int[] tmp = new int[n];
            int count = 0;
            for (int k = 0; k < n; k++) {
                String name = names[k].trim();
                if (name.isEmpty()) {
                    continue;
                }
                int idx = genreIndex.computeIfAbsent(name, key -> {
                    genreNames.add(key);
                    return genreNames.size() - 1;
                });
                boolean seen = false;
                for (int j = 0; j < count; j++) {
                    seen |= tmp[j] == idx;
                }
                if (!seen) {
                    tmp[count++] = idx;
                }
            }
            indices = Arrays.copyOf(tmp, count);
        }
        titles.add(title);
        genres.add(indices);
    }

    Items build() {
        Items.Builder b = Items.builder(genreNames);
        for (int i = 0; i < titles.size(); i++) {
            b.add(titles.get(i), null, genres.get(i));
        }
        return b.build();
    }
}
