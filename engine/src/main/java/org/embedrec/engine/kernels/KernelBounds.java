package org.embedrec.engine.kernels;

/** Argument checks shared by both kernel implementations, so both fail the same way. */
final class KernelBounds {
    private KernelBounds() {}

    static void checkSgemm(int m, int n, int k, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: m=" + m + ", n=" + n + ", k=" + k
                    + "; expected non-negative sizes");
        }
        checkRange("sgemm: A (" + m + " x " + k + ")", a, aOff, (long) m * k);
        checkRange("sgemm: B (" + k + " x " + n + ")", b, bOff, (long) k * n);
        checkRange("sgemm: C (" + m + " x " + n + ")", c, cOff, (long) m * n);
    }

    static void checkPack(int n, int k, float[] b, int bOff) {
        if (n < 0 || k < 0) {
            throw new IllegalArgumentException("pack: n=" + n + ", k=" + k + "; expected non-negative sizes");
        }
        checkRange("pack: B (" + k + " x " + n + ")", b, bOff, (long) k * n);
    }

    static void checkRange(String what, float[] x, int off, long len) {
        if (off < 0 || len < 0 || off + len > x.length) {
            throw new IndexOutOfBoundsException(what + ": offset " + off + " + length " + len
                    + " does not fit an array of length " + x.length);
        }
    }

    static void checkAddMax(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("addMax: n=" + n + "; expected at least one element");
        }
        checkRange("addMax: a", a, aOff, n);
        checkRange("addMax: b", b, bOff, n);
        checkRange("addMax: out", out, outOff, n);
    }

    static void checkMaxIndex(float[] x, int xOff, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxIndex: n=" + n + "; expected at least one element");
        }
        checkRange("maxIndex: x", x, xOff, n);
    }
}
