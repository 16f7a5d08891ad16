package org.embedrec.features;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token frequencies gathered by {@code adapt}, and the vocabulary they give: tokens by count,
 * highest first, ties broken by the token in ascending {@link String#compareTo} order (UTF-16
 * code units). The order therefore does not depend on the order in which data arrived, so the
 * same data adapted in any batching (or merged from several workers) gives the same ids.
 */
final class TokenCounts {
    private final Map<String, long[]> counts = new HashMap<>();

    void add(String token) {
        counts.computeIfAbsent(token, t -> new long[1])[0]++;
    }

    /** Counts {@code token} {@code times} times at once (a value gathered elsewhere with its count). */
    void add(String token, long times) {
        if (times < 1) {
            throw new IllegalArgumentException("a token's count must be >= 1, got " + times + " for '" + token + "'");
        }
        counts.computeIfAbsent(token, t -> new long[1])[0] += times;
    }

    int distinct() {
        return counts.size();
    }

    /** At most {@code limit} tokens (all if {@code limit < 0}) in vocabulary order, leaving out {@code excluded}. */
    List<String> vocabulary(int limit, String... excluded) {
        List<Map.Entry<String, long[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> {
            int byCount = Long.compare(b.getValue()[0], a.getValue()[0]);
            return byCount != 0 ? byCount : a.getKey().compareTo(b.getKey());
        });
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : entries) {
            if (limit >= 0 && out.size() >= limit) {
                break;
            }
            if (!isExcluded(e.getKey(), excluded)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    private static boolean isExcluded(String token, String[] excluded) {
        for (String x : excluded) {
            if (token.equals(x)) {
                return true;
            }
        }
        return false;
    }
}
