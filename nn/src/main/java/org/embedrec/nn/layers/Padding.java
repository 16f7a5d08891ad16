package org.embedrec.nn.layers;

/**
 * How a convolution treats the edges, as in Keras: {@code VALID} places the kernel only where it
 * fits inside the input; {@code SAME} pads with zeros so that the output has
 * {@code ceil(size / stride)} positions, the padding split evenly with any odd one after.
 */
public enum Padding {
    VALID, SAME;

    /** {@code {before, after}} for an input of {@code size} under a kernel of {@code kernel} moved by {@code stride}. */
    int[] amounts(int size, int kernel, int stride) {
        if (this == VALID) {
            return new int[] {0, 0};
        }
        int out = (size + stride - 1) / stride;
        int total = Math.max(0, (out - 1) * stride + kernel - size);
        return new int[] {total / 2, total - total / 2};
    }
}
