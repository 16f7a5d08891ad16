package org.embedrec.models.rating;

import java.util.ArrayList;
import java.util.List;

/**
 * The sparse fields Wide &amp; Deep reads from a {@link RatingFeatureSpec}: user, item, each
 * categorical and multi-valued column, and each hashed cross; and, per batch, each field's
 * table rows with a mask for padded positions.
 *
 * <p>A field that can hold {@link RatingFeatureSpec#PAD} (multi-valued, or crossed with a
 * multi-valued column) gets one extra table row, the last, that padding maps to; its mask is 0
 * there, so the row never contributes and its gradient is 0.
 */
final class SparseFields {
    private SparseFields() {}

    /** A field: its table has {@code rows} rows; each example holds {@code width} ids. */
    record Field(String name, int rows, int width, boolean padded, String first, String second, int salt) {
        boolean isCross() {
            return second != null;
        }
    }

    /** Table rows of one field for a batch, {@code [size * width]}, and the mask (null when unpadded). */
    record Values(int[] rows, float[] mask) {}

    /** User, item, categorical and multi-valued fields, in that order. */
    static List<Field> base(RatingFeatureSpec spec) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field(RatingFeatureSpec.USER, spec.numUsers(), 1, false, RatingFeatureSpec.USER, null, 0));
        fields.add(new Field(RatingFeatureSpec.ITEM, spec.numItems(), 1, false, RatingFeatureSpec.ITEM, null, 0));
        for (RatingFeatureSpec.Categorical c : spec.categorical()) {
            fields.add(new Field(c.name(), c.cardinality(), 1, false, c.name(), null, 0));
        }
        for (RatingFeatureSpec.MultiValued m : spec.multiValued()) {
            fields.add(new Field(m.name(), m.cardinality() + 1, m.width(), true, m.name(), null, 0));
        }
        return fields;
    }

    /** The crosses of the spec, in order. */
    static List<Field> crosses(RatingFeatureSpec spec) {
        List<Field> fields = new ArrayList<>();
        for (int k = 0; k < spec.crosses().size(); k++) {
            RatingFeatureSpec.Cross c = spec.crosses().get(k);
            int wa = width(spec, c.first());
            int wb = width(spec, c.second());
            boolean padded = spec.multiValuedIndex(c.first()) >= 0 || spec.multiValuedIndex(c.second()) >= 0;
            fields.add(new Field(c.name(), c.buckets() + (padded ? 1 : 0), Math.max(wa, wb), padded,
                    c.first(), c.second(), k + 1));
        }
        return fields;
    }

    /** The table rows and mask of {@code field} for {@code batch}. */
    static Values values(RatingFeatureSpec spec, Field field, RatingBatch batch) {
        int[] ids = field.isCross() ? crossIds(spec, field, batch) : column(spec, field.first(), batch);
        if (!field.padded()) {
            return new Values(ids, null);
        }
        int padRow = field.rows() - 1;
        int[] rows = new int[ids.length];
        float[] mask = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boolean pad = ids[i] == RatingFeatureSpec.PAD;
            rows[i] = pad ? padRow : ids[i];
            mask[i] = pad ? 0f : 1f;
        }
        return new Values(rows, mask);
    }

    private static int[] crossIds(RatingFeatureSpec spec, Field field, RatingBatch batch) {
        int[] a = column(spec, field.first(), batch);
        int[] b = column(spec, field.second(), batch);
        int wa = width(spec, field.first());
        int wb = width(spec, field.second());
        int n = batch.size();
        int w = field.width();
        int buckets = field.rows() - (field.padded() ? 1 : 0);
        int[] out = new int[n * w];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < w; j++) {
                int x = a[k * wa + (wa == 1 ? 0 : j)];
                int y = b[k * wb + (wb == 1 ? 0 : j)];
                out[k * w + j] = x == RatingFeatureSpec.PAD || y == RatingFeatureSpec.PAD
                        ? RatingFeatureSpec.PAD : hash(x, y, field.salt(), buckets);
            }
        }
        return out;
    }

    /** A stable hash of the pair into {@code [0, buckets)}: SplitMix64's finaliser over both ids and the cross's salt. */
    static int hash(int x, int y, int salt, int buckets) {
        long z = ((long) x << 32) ^ (y & 0xFFFFFFFFL) ^ ((long) salt * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Long.remainderUnsigned(z, buckets);
    }

    private static int[] column(RatingFeatureSpec spec, String name, RatingBatch batch) {
        if (name.equals(RatingFeatureSpec.USER)) {
            return batch.users();
        }
        if (name.equals(RatingFeatureSpec.ITEM)) {
            return batch.items();
        }
        int c = spec.categoricalIndex(name);
        return c >= 0 ? batch.categorical()[c] : batch.multiValued()[spec.multiValuedIndex(name)];
    }

    private static int width(RatingFeatureSpec spec, String name) {
        int m = spec.multiValuedIndex(name);
        return m >= 0 ? spec.multiValued().get(m).width() : 1;
    }
}
