package org.embedrec.nn.layers;

import org.embedrec.engine.Ops;
import org.embedrec.engine.Shape;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Layer;

/**
 * The maximum over {@code poolH x poolW} windows of images {@code [batch, height, width, channels]},
 * each channel on its own; windows moved by the strides (by default the pool size, so they tile the
 * image) and wholly inside it (Keras's {@code padding="valid"}):
 * {@code [batch, (height - poolH) / strideH + 1, (width - poolW) / strideW + 1, channels]}.
 * The gradient goes to the first largest value of each window.
 */
public final class MaxPool2D extends Layer {
    static final String TYPE = "max_pool2d";

    private final int poolH;
    private final int poolW;
    private final int strideH;
    private final int strideW;

    /** Windows of {@code poolH x poolW} that tile the image. */
    public MaxPool2D(int poolH, int poolW) {
        this(TYPE, poolH, poolW, poolH, poolW);
    }

    public MaxPool2D(String name, int poolH, int poolW, int strideH, int strideW) {
        super(name);
        String where = LayerChecks.where(TYPE, this);
        LayerChecks.positive(where, "poolH", poolH);
        LayerChecks.positive(where, "poolW", poolW);
        LayerChecks.positive(where, "strideH", strideH);
        LayerChecks.positive(where, "strideW", strideW);
        this.poolH = poolH;
        this.poolW = poolW;
        this.strideH = strideH;
        this.strideW = strideW;
    }

    @Override
    public Tensor apply(Tensor images) {
        int[] shape = images.shape();
        if (shape.length != 4 || shape[1] < poolH || shape[2] < poolW) {
            throw new IllegalArgumentException(LayerChecks.where(TYPE, this) + "expected images [batch, height >= "
                    + poolH + ", width >= " + poolW + ", channels], got " + Shape.toString(shape));
        }
        return Ops.maxPool2d(images, poolH, poolW, strideH, strideW);
    }
}
