package org.embedrec.data.synthetic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.embedrec.engine.Rng;

/**
 * Invented movie titles for {@link SyntheticMovieLens}: words built from syllables, a few
 * words per latent cluster (so a title's words carry signal about its item's cluster) and a
 * pool of common words shared by all, followed by the year as in "Velora Tamsin (1995)".
 */
final class SyntheticTitles {
    private static final String[] ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
        "br", "dr", "kl", "st", "tr", "sh"};
    private static final String[] VOWELS = {"a", "e", "i", "o", "u", "ai", "ou"};
    private static final String[] CODAS = {"", "", "", "n", "r", "s", "l", "m", "x"};
    static final int WORDS_PER_CLUSTER = 6;
    static final int COMMON_WORDS = 40;
    static final double CLUSTER_WORD_PROBABILITY = 0.8;

    private final List<List<String>> clusterWords;
    private final List<String> commonWords;
    private final Set<String> usedTitles = new HashSet<>();

    SyntheticTitles(int clusters, Rng rng) {
        Set<String> seen = new HashSet<>();
        clusterWords = new ArrayList<>(clusters);
        for (int k = 0; k < clusters; k++) {
            List<String> words = new ArrayList<>(WORDS_PER_CLUSTER);
            for (int w = 0; w < WORDS_PER_CLUSTER; w++) {
                words.add(freshWord(rng, seen));
            }
            clusterWords.add(List.copyOf(words));
        }
        List<String> common = new ArrayList<>(COMMON_WORDS);
        for (int w = 0; w < COMMON_WORDS; w++) {
            common.add(freshWord(rng, seen));
        }
        commonWords = List.copyOf(common);
    }

    List<String> clusterWords(int cluster) {
        return clusterWords.get(cluster);
    }

    List<String> commonWords() {
        return commonWords;
    }

    /**
     * A title for an item of {@code cluster}: one to three words, one of them a cluster word with
     * probability {@link #CLUSTER_WORD_PROBABILITY}, then the year. Repeats get a sequel number.
     */
    String title(int cluster, int year, Rng rng) {
        int words = 1 + rng.nextInt(3);
        int clusterSlot = rng.nextDouble() < CLUSTER_WORD_PROBABILITY ? rng.nextInt(words) : -1;
        StringBuilder sb = new StringBuilder();
        if (rng.nextDouble() < 0.15) {
            sb.append("The ");
        }
        for (int w = 0; w < words; w++) {
            if (w > 0) {
                sb.append(' ');
            }
            List<String> pool = w == clusterSlot ? clusterWords.get(cluster) : commonWords;
            sb.append(pool.get(rng.nextInt(pool.size())));
        }
        String base = sb.toString();
        String name = base;
        for (int sequel = 2; usedTitles.contains(name + year); sequel++) {
            name = base + " " + sequel;
        }
        usedTitles.add(name + year);
        return name + " (" + year + ")";
    }

    private static String freshWord(Rng rng, Set<String> seen) {
        while (true) {
            int syllables = 2 + rng.nextInt(2);
            StringBuilder sb = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                sb.append(ONSETS[rng.nextInt(ONSETS.length)]).append(VOWELS[rng.nextInt(VOWELS.length)]);
            }
            sb.append(CODAS[rng.nextInt(CODAS.length)]);
            sb.setCharAt(0, Character.toUpperCase(sb.charAt(0)));
            String word = sb.toString();
            if (seen.add(word)) {
                return word;
            }
        }
    }
}
