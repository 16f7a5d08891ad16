package org.embedrec.features;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.embedrec.data.AttributeTable;
import org.embedrec.data.Interactions;

/**
 * Where each feature of a spec reads its raw values: a column of the interactions (the user or
 * item id, the timestamp, or any other column kept from the input), the item table joined on
 * the item id, or the user table joined on the user id.
 *
 * <p>Query features are read per interaction row; candidate features per catalogue item, since
 * a candidate's embedding must depend on the item alone: from the item table, or from the
 * item's first row in the interactions when the column is one of theirs. The catalogue is every
 * item of the interactions (their dense ids first, so a row's item is its catalogue row) and
 * then every item of the item table no one has interacted with, which can still be recommended
 * from its features. A user or item missing from its table reads as the empty string, which
 * lookups send to the out-of-vocabulary bucket.
 */
public final class FeatureSource {
    private final FeatureSpec spec;
    private final Interactions all;
    private final AttributeTable items;
    private final AttributeTable users;
    private final int[] firstRowOfItem;
    private final List<String> catalogue;

    private FeatureSource(FeatureSpec spec, Interactions all, AttributeTable items, AttributeTable users) {
        this.spec = spec;
        this.all = all;
        this.items = items;
        this.users = users;
        this.firstRowOfItem = new int[all.numItems()];
        Arrays.fill(firstRowOfItem, -1);
        List<String> ids = new ArrayList<>(all.items().rawIds());
        if (items != null) {
            for (String id : items.ids()) {
                if (!all.items().contains(id)) {
                    ids.add(id);
                }
            }
        }
        this.catalogue = List.copyOf(ids);
        for (int r = 0; r < all.size(); r++) {
            if (firstRowOfItem[all.item(r)] < 0) {
                firstRowOfItem[all.item(r)] = r;
            }
        }
    }

    /**
     * The source of {@code spec}'s features in {@code all} (every row, training and held out; the
     * catalogue is its items) and the optional side tables; checks that every feature's column
     * exists where its tower can read it.
     */
    public static FeatureSource of(FeatureSpec spec, Interactions all, AttributeTable items, AttributeTable users) {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < spec.features().size(); i++) {
            FeatureDefinition f = spec.features().get(i);
            String c = f.column();
            String at = "features[" + i + "] ('" + f.name() + "').column: ";
            boolean query = f.tower().equals(FeatureDefinition.QUERY);
            if (c.equals(spec.data().label())) {
                problems.add(at + "'" + c + "' is the label column; a model may not read its own label");
            } else if (c.equals(spec.data().timestamp()) && !all.hasTimestamps()) {
                problems.add(at + "'" + c + "' is the timestamp column, but the data has no timestamps");
            } else if (!isRole(spec, c) && !all.extraColumnNames().contains(c)
                    && !(query ? users != null && users.hasColumn(c) : items != null && items.hasColumn(c))) {
                problems.add(at + "no column '" + c + "' in the interactions " + available(spec, all)
                        + (query ? tableColumns("user", users) : tableColumns("item", items)));
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecException("spec data", problems);
        }
        return new FeatureSource(spec, all, items, users);
    }

    private static boolean isRole(FeatureSpec spec, String column) {
        return column.equals(spec.data().user()) || column.equals(spec.data().item())
                || column.equals(spec.data().timestamp());
    }

    private static String available(FeatureSpec spec, Interactions all) {
        List<String> names = new ArrayList<>(List.of(spec.data().user(), spec.data().item()));
        if (spec.data().timestamp() != null) {
            names.add(spec.data().timestamp());
        }
        names.addAll(all.extraColumnNames());
        return names.toString();
    }

    private static String tableColumns(String what, AttributeTable table) {
        return table == null ? " and there is no " + what + " table"
                : " or the " + what + " table " + table.source() + " " + table.columns();
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** Every interaction; its items are the catalogue. */
    public Interactions all() {
        return all;
    }

    /** Number of catalogue items. */
    public int catalogueSize() {
        return catalogue.size();
    }

    /** The catalogue's item ids: the interactions' items in their dense order, then the item table's others. */
    public List<String> catalogueIds() {
        return catalogue;
    }

    /** The raw values of query feature {@code f}, one per row of {@code rows} (which share {@link #all()}'s ids). */
    public String[] queryValues(FeatureDefinition f, Interactions rows) {
        int n = rows.size();
        String[] out = new String[n];
        String c = f.column();
        if (c.equals(spec.data().user())) {
            for (int r = 0; r < n; r++) {
                out[r] = rows.users().rawId(rows.user(r));
            }
        } else if (c.equals(spec.data().item())) {
            for (int r = 0; r < n; r++) {
                out[r] = rows.items().rawId(rows.item(r));
            }
        } else if (c.equals(spec.data().timestamp())) {
            for (int r = 0; r < n; r++) {
                out[r] = Long.toString(rows.timestamp(r));
            }
        } else if (rows.extraColumnNames().contains(c)) {
            List<String> values = rows.extraColumn(c);
            for (int r = 0; r < n; r++) {
                out[r] = values.get(r);
            }
        } else {
            for (int r = 0; r < n; r++) {
                String v = users.value(rows.users().rawId(rows.user(r)), c);
                out[r] = v == null ? "" : v;
            }
        }
        return out;
    }

    /**
     * The numbers of query feature {@code f} for the rows {@code rows} when it is a numeric or
     * timestamp feature of the interactions' timestamp column, else null: the same doubles as
     * parsing {@link #queryValues}' decimal strings (an exact long converts to its nearest double
     * either way), without making and parsing a string per row of a 25M-row column.
     */
    public double[] queryNumbers(FeatureDefinition f, Interactions rows) {
        boolean numeric = f.kind() == FeatureKind.NUMERIC || f.kind() == FeatureKind.TIMESTAMP;
        if (!numeric || !f.column().equals(spec.data().timestamp()) || f.column().equals(spec.data().user())
                || f.column().equals(spec.data().item())) {
            return null;
        }
        double[] out = new double[rows.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = rows.timestamp(r);
        }
        return out;
    }

    /** The raw values of candidate feature {@code f}, one per catalogue item. */
    public String[] candidateValues(FeatureDefinition f) {
        int n = catalogue.size();
        String[] out = new String[n];
        String c = f.column();
        boolean interactionColumn = c.equals(spec.data().user()) || c.equals(spec.data().timestamp())
                || (all.extraColumnNames().contains(c) && (items == null || !items.hasColumn(c)));
        for (int i = 0; i < n; i++) {
            String id = catalogue.get(i);
            if (c.equals(spec.data().item())) {
                out[i] = id;
            } else if (interactionColumn) {
                int r = i < firstRowOfItem.length ? firstRowOfItem[i] : -1;
                out[i] = r < 0 ? "" : queryValue(c, r);
            } else {
                String v = items.value(id, c);
                out[i] = v == null ? "" : v;
            }
        }
        return out;
    }

    private String queryValue(String c, int r) {
        if (c.equals(spec.data().user())) {
            return all.users().rawId(all.user(r));
        }
        if (c.equals(spec.data().timestamp())) {
            return Long.toString(all.timestamp(r));
        }
        return all.extraColumn(c).get(r);
    }
}
