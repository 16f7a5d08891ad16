package org.embedrec.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.embedrec.recommend.Catalogue;
import org.embedrec.recommend.RecommendedItem;

/**
 * The items of an answer as {@code recommend} prints them: rank, score, item id, and the title
 * (or, for items without one, their attributes), with {@code (seen)} after an item the user had
 * in training; and the lookup of an item the user names by id or title.
 */
final class ItemTable {
    private ItemTable() {}

    static void print(PrintStream out, String scoreName, List<RecommendedItem> items) {
        int idWidth = "item".length();
        for (RecommendedItem r : items) {
            idWidth = Math.max(idWidth, r.itemId().length());
        }
        boolean titled = items.stream().anyMatch(r -> r.title() != null);
        out.printf(Locale.ROOT, "%5s  %8s  %" + idWidth + "s  %s%n", "rank", scoreName, "item",
                titled ? "title" : "attributes");
        for (int i = 0; i < items.size(); i++) {
            RecommendedItem r = items.get(i);
            out.printf(Locale.ROOT, "%5d  %8.4f  %" + idWidth + "s  %s%s%n", i + 1, r.score(), r.itemId(),
                    titled ? (r.title() == null ? "" : r.title()) : attributes(r.attributes()), r.seen() ? "  (seen)" : "");
        }
    }

    private static String attributes(Map<String, String> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((name, value) -> parts.add(name + "=" + value));
        return String.join(" ", parts);
    }

    /**
     * The catalogue row of an item given by its id or, failing that, by its title (ignoring
     * case) when exactly one item has it.
     *
     * @throws IllegalArgumentException if no item has that id or title, or several have that title
     */
    static int row(Catalogue catalogue, String idOrTitle) {
        int byId = catalogue.row(idOrTitle);
        if (byId >= 0) {
            return byId;
        }
        List<Integer> exact = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        String wanted = idOrTitle.toLowerCase(Locale.ROOT);
        for (int i = 0; i < catalogue.size(); i++) {
            String title = catalogue.title(i);
            if (title == null) {
                continue;
            }
            String lower = title.toLowerCase(Locale.ROOT);
            if (lower.equals(wanted)) {
                exact.add(i);
            } else if (partial.size() < 3 && !wanted.isEmpty() && lower.contains(wanted)) {
                partial.add(catalogue.itemId(i) + " '" + title + "'");
            }
        }
        if (exact.size() == 1) {
            return exact.get(0);
        }
        if (exact.size() > 1) {
            List<String> ids = new ArrayList<>();
            for (int i : exact) {
                ids.add(catalogue.itemId(i));
            }
            throw new IllegalArgumentException("item '" + idOrTitle + "': " + exact.size() + " items have this title "
                    + "(ids " + String.join(", ", ids) + "); give the item id");
        }
        throw new IllegalArgumentException("item '" + idOrTitle + "': no item has this id or title"
                + (partial.isEmpty() ? "" : "; titles containing it: " + String.join(", ", partial)));
    }
}
