package org.embedrec.recommend;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One item's attributes as a read-only map that is a view of the catalogue's row: an answer
 * carries one small object per item instead of a copy of its attributes, and a value becomes a
 * {@code String} only when it is read. Iterates in the item
 * table's column order, leaving out the attributes the item has none of; equal to any map of the
 * same entries.
 */
final class ItemAttributes extends AbstractMap<String, String> {
    private final Catalogue catalogue;
    private final int row;

    ItemAttributes(Catalogue catalogue, int row) {
        this.catalogue = catalogue;
        this.row = row;
    }

    @Override
    public String get(Object key) {
        return key instanceof String name ? catalogue.attribute(row, name) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    /** The item's attributes, each read once: an iteration decodes the whole row in one pass. */
    @Override
    public Set<Map.Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<String, String>> iterator() {
                String[] values = catalogue.attributeRow(row);
                List<String> names = catalogue.attributeNames();
                return new Iterator<>() {
                    private int next = advance(0);

                    private int advance(int from) {
                        int a = from;
                        while (a < values.length && values[a] == null) {
                            a++;
                        }
                        return a;
                    }

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Map.Entry<String, String> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Map.Entry<String, String> e = Map.entry(names.get(next), values[next]);
                        next = advance(next + 1);
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                int n = 0;
                for (String value : catalogue.attributeRow(row)) {
                    n += value == null ? 0 : 1;
                }
                return n;
            }
        };
    }
}
