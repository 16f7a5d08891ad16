package org.embedrec.engine;

import org.embedrec.engine.kernels.Kernels;

/**
 * Row gather: the embedding lookup. {@code out[i] = table[ids[i]]}, which equals
 * {@code onehot(ids) x table} without building the one-hot matrix. The gradient of the table
 * is non-zero only on the gathered rows: it goes to the table's row gradient when the table
 * is marked sparse, otherwise it is scattered into the dense gradient.
 *
 * <p>The masked mean of bags of ids, {@code out[b] = (1 / n_b) sum table[id]} over the
 * {@code n_b} ids of bag {@code b} that are not padding, is the same lookup followed by a
 * per-bag average; each id's row then receives {@code grad[b] / n_b}.
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

    /**
     * {@code table [rows, width]}, {@code ids [bags * bagLength]} row-major, padded with
     * {@code padId} -> {@code [bags, width]}: each bag's mean over its ids other than
     * {@code padId}, or a zero row when all are padding. This is Keras's
     * {@code Embedding(mask_zero=True)} followed by a masked {@code GlobalAveragePooling1D}.
     */
    static Tensor gatherMean(Tensor table, int[] ids, int bagLength, int padId) {
        if (table.rank() != 2) {
            throw new IllegalArgumentException(
                    "gatherMean: the table must be 2-D, shape is " + Shape.toString(table.shape()));
        }
        if (bagLength < 1 || ids.length % bagLength != 0) {
            throw new IllegalArgumentException("gatherMean: " + ids.length + " ids do not split into bags of "
                    + bagLength + "; expected a bag length >= 1 that divides the id count");
        }
        int rows = table.dim(0);
        int width = table.dim(1);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != padId && (ids[i] < 0 || ids[i] >= rows)) {
                throw new IndexOutOfBoundsException("gatherMean: id " + ids[i] + " at position " + i
                        + " (bag " + i / bagLength + ", slot " + i % bagLength + ") is neither padding ("
                        + padId + ") nor inside the table's " + rows + " rows");
            }
        }
        int bags = ids.length / bagLength;
        Tensor out = Tensor.zeros(bags, width);
        float[] t = table.data();
        float[] o = out.data();
        // 1 / n_b per bag (0 for an all-padding bag); forward and backward scale by the same factor.
        float[] inverseCount = new float[bags];
        Kernels kern = Kernels.get();
        for (int b = 0; b < bags; b++) {
            int count = 0;
            for (int i = b * bagLength; i < (b + 1) * bagLength; i++) {
                if (ids[i] != padId) {
                    kern.add(o, b * width, t, ids[i] * width, o, b * width, width);
                    count++;
                }
            }
            if (count > 0) {
                inverseCount[b] = 1f / count;
                kern.scale(inverseCount[b], o, b * width, width);
            }
        }
        int[] idsCopy = ids.clone();
        return GradientTape.record(out, g -> {
            RowSparseGradient rg = table.hasSparseGradient() ? table.rowGradient() : null;
            float[] gt = rg == null ? table.gradBuffer() : null;
            // grad[b] / n_b, rounded once and added as is, so dense and sparse tables get the same bits.
            float[] scaled = new float[width];
            for (int b = 0; b < bags; b++) {
                float inv = inverseCount[b];
                for (int j = 0; j < width; j++) {
                    scaled[j] = g[b * width + j] * inv;
                }
                for (int i = b * bagLength; i < (b + 1) * bagLength; i++) {
                    int id = idsCopy[i];
                    if (id == padId) {
                        continue;
                    }
                    if (rg != null) {
                        rg.accumulate(id, scaled, 0);
                    } else {
                        kern.add(gt, id * width, scaled, 0, gt, id * width, width);
                    }
                }
            }
        }, table);
    }
}
