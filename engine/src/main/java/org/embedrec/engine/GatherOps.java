package org.embedrec.engine;

/**
 * Row gather: the embedding lookup. {@code out[i] = table[ids[i]]}, which equals
 * {@code onehot(ids) x table} without building the one-hot matrix. The gradient of the table
 * is non-zero only on the gathered rows: it goes to the table's row gradient when the table
 * is marked sparse, otherwise it is scattered into the dense gradient.
 */
final class GatherOps {
    private GatherOps() {}

    /** {@code table [rows, width]}, ids of any shape S -> S + [width]. */
    static Tensor gatherRows(Tensor table, int[] ids, int... idShape) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException(
                    "gatherRows: the table must be 2-D, shape is " + Shape.toString(table.shape()));
        }
        if (Shape.size(idShape) != ids.length) {
            throw new IllegalArgumentException("gatherRows: " + ids.length + " ids do not fill id shape "
                    + Shape.toString(idShape));
        }
        int rows = table.dim(0);
        int width = table.dim(1);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IndexOutOfBoundsException("gatherRows: id " + ids[i] + " at position " + i
                        + " is outside the table's " + rows + " rows");
            }
        }
        int[] outShape = java.util.Arrays.copyOf(idShape, idShape.length + 1);
        outShape[idShape.length] = width;
        Tensor out = Tensor.zeros(outShape);
        float[] t = table.data();
        float[] o = out.data();
        for (int i = 0; i < ids.length; i++) {
            System.arraycopy(t, ids[i] * width, o, i * width, width);
        }
        int[] idsCopy = ids.clone();
        return GradientTape.record(out, g -> {
            if (table.hasSparseGradient()) {
                RowSparseGradient rg = table.rowGradient();
                for (int i = 0; i < idsCopy.length; i++) {
                    rg.accumulate(idsCopy[i], g, i * width);
                }
            } else {
                float[] gt = table.gradBuffer();
                for (int i = 0; i < idsCopy.length; i++) {
                    int base = idsCopy[i] * width;
                    for (int j = 0; j < width; j++) {
                        gt[base + j] += g[i * width + j];
                    }
                }
            }
        }, table);
    }
}
