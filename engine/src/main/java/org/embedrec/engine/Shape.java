package org.embedrec.engine;

import java.util.Arrays;

/** Shape arithmetic and the checks whose messages name the shapes involved. */
public final class Shape {
    private Shape() {}

    public static int size(int[] shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "shape " + toString(shape) + " has " + size + " elements, more than one array holds");
        }
        return (int) size;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** A defensive copy of {@code shape}, rejecting negative dimensions. */
    static int[] validated(int[] shape) {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException(
                        "shape " + toString(shape) + ": dimension " + i + " is negative");
            }
        }
        int[] copy = shape.clone();
        size(copy);
        return copy;
    }

    /** Resolves a possibly negative axis against a rank. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Row-major flat offset of {@code index} in {@code shape}. */
    static int offset(int[] shape, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(
                    "index " + Arrays.toString(index) + " has rank " + index.length
                            + ", tensor " + toString(shape) + " has rank " + shape.length);
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException(
                        "index " + Arrays.toString(index) + " is outside shape " + toString(shape));
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    /** Product of the dimensions before {@code axis}. */
    public static int outer(int[] shape, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    public static int inner(int[] shape, int axis) {
        int n = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** True when {@code suffix} equals the last dimensions of {@code shape}. */
    public static boolean endsWith(int[] shape, int[] suffix) {
        if (suffix.length > shape.length) {
            return false;
        }
        int skip = shape.length - suffix.length;
        for (int i = 0; i < suffix.length; i++) {
            if (shape[skip + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
