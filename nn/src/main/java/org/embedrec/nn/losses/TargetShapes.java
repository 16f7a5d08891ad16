package org.embedrec.nn.losses;

import java.util.Arrays;
import org.embedrec.engine.Ops;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;

/**
 * Fits targets to predictions the way users hand them over: a column of targets {@code [batch]}
 * and predictions {@code [batch, 1]} (or the other way round) mean the same thing.
 */
final class TargetShapes {
    private TargetShapes() {}

    /**
     * {@code targets} viewed with the shape of {@code predictions}: the shapes must be equal or
     * differ only by a trailing dimension of 1 on one side.
     */
    static Tensor elementwise(String loss, Tensor predictions, Tensor targets) {
        int[] p = predictions.shape();
        int[] t = targets.shape();
        if (Arrays.equals(p, t)) {
            return targets;
        }
        if (isWithTrailingOne(p, t) || isWithTrailingOne(t, p)) {
            return Ops.reshape(targets, p);
        }
        String expected = Shape.toString(p);
        if (p.length > 0 && p[p.length - 1] == 1) {
            expected += " or " + Shape.toString(Arrays.copyOf(p, p.length - 1));
        }
        throw new IllegalArgumentException(loss + ": predictions " + Shape.toString(p) + " and targets "
                + Shape.toString(t) + ": expected targets of shape " + expected);
    }

    /**
     * Class ids from {@code targets}, one per row of {@code predictions [..., classes]}: targets
     * of shape {@code [...]} or {@code [..., 1]} holding whole numbers in {@code [0, classes)}.
     */
    static int[] classIds(String loss, Tensor predictions, Tensor targets) {
        int[] p = predictions.shape();
        int[] t = targets.shape();
        if (p.length < 2) {
            throw new IllegalArgumentException(loss + ": predictions " + Shape.toString(p)
                    + ": expected [batch, classes]");
        }
        int[] rows = Arrays.copyOf(p, p.length - 1);
        int[] column = Arrays.copyOf(rows, rows.length + 1);
        column[rows.length] = 1;
        if (!Arrays.equals(t, rows) && !Arrays.equals(t, column)) {
            throw new IllegalArgumentException(loss + ": predictions " + Shape.toString(p) + " and targets "
                    + Shape.toString(t) + ": expected class ids of shape " + Shape.toString(rows) + " or "
                    + Shape.toString(column));
        }
        int classes = p[p.length - 1];
        float[] values = targets.data();
        int[] ids = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0f && v < classes) || v != Math.rint(v)) {
                throw new IllegalArgumentException(loss + ": target " + v + " at position " + i
                        + " is not a class id in [0, " + classes + ")");
            }
            ids[i] = (int) v;
        }
        return ids;
    }

    private static boolean isWithTrailingOne(int[] longer, int[] shorter) {
        return longer.length == shorter.length + 1 && longer[longer.length - 1] == 1
                && Arrays.equals(Arrays.copyOf(longer, shorter.length), shorter);
    }
}
