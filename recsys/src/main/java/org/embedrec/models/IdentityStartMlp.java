package org.embedrec.models;

import java.util.Arrays;
import java.util.List;
import org.embedrec.engine.Rng;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Sequential;

/**
 * A relu MLP over a scalar input that starts as the identity map {@code f(s) = s}, so that a
 * model whose score goes through it starts as the model without it and learns only a bend.
 *
 * <p>Each hidden layer of width {@code m} holds {@code K = floor(m / 2)} pairs of units
 * {@code relu(s - t_k)} and {@code relu(t_k - s)}, whose difference is {@code s - t_k}; the
 * kinks {@code t_k} are spread symmetrically over {@code [-spread, spread]}, so the mean of the
 * differences is {@code s} exactly, and distinct kinks let gradient descent bend the map anywhere
 * in that range (pairs with equal kinks would stay equal forever). The next layer reads
 * {@code s} back as that mean and splits it again; the output layer only reads it back. With an
 * odd width the extra unit copies the first unit's input weights and starts with a zero output
 * weight.
 */
public final class IdentityStartMlp {
    private IdentityStartMlp() {}

    /**
     * {@code 1 -> hidden[0] (relu) -> ... -> 1 (linear)} that computes {@code f(s) = s} before
     * training, kinks spread over {@code [-spread, spread]}; every hidden width must be at least 2.
     * No dropout: the models that use it drop their inputs instead.
     */
    public static Sequential build(String name, List<Integer> hidden, float spread, Rng rng) {
        Sequential stack = new Sequential(name);
        int width = 1;
        for (int l = 0; l < hidden.size(); l++) {
            int units = hidden.get(l);
            if (units < 2) {
                throw new IllegalArgumentException(name + ": hidden layer " + l + " has " + units
                        + " unit(s); an identity start needs at least 2 per layer");
            }
            int inputWidth = width;
            stack.add(Dense.builder(inputWidth, units).activation(Activation.RELU)
                    .kernelInitializer((v, fanIn, fanOut, r) -> splitKernel(v, inputWidth, units))
                    .biasInitializer((v, fanIn, fanOut, r) -> kinks(v, units, spread))
                    .build(rng));
            width = units;
        }
        int lastWidth = width;
        stack.add(Dense.builder(lastWidth, 1).name("output")
                .kernelInitializer((v, fanIn, fanOut, r) -> readBack(v, lastWidth, 0, 1, 1f))
                .build(rng));
        return stack;
    }

    /**
     * Kernel {@code [inputWidth, units]} that reads {@code s} back from the input (the scalar
     * itself when {@code inputWidth == 1}) and feeds {@code +s} to even units, {@code -s} to odd ones.
     */
    private static void splitKernel(float[] v, int inputWidth, int units) {
        Arrays.fill(v, 0f);
        for (int j = 0; j < units; j++) {
            // An odd width's extra unit copies unit 0.
            float sign = j % 2 == 0 || j == units - 1 && units % 2 == 1 ? 1f : -1f;
            readBack(v, inputWidth, j, units, sign);
        }
    }

    /**
     * Column {@code column} of a {@code [inputWidth, columns]} kernel: {@code sign * mean of the
     * pairs' differences}, or {@code sign * s} when the input is the scalar itself.
     */
    private static void readBack(float[] v, int inputWidth, int column, int columns, float sign) {
        if (inputWidth == 1) {
            v[column] = sign;
            return;
        }
        int pairs = inputWidth / 2;
        for (int k = 0; k < pairs; k++) {
            v[(2 * k) * columns + column] = sign / pairs;
            v[(2 * k + 1) * columns + column] = -sign / pairs;
        }
    }

    /** Biases {@code -t_k} for the even unit of pair {@code k} and {@code +t_k} for the odd one. */
    private static void kinks(float[] v, int units, float spread) {
        int pairs = units / 2;
        for (int k = 0; k < pairs; k++) {
            float t = spread * ((2f * k + 1f) / pairs - 1f);
            v[2 * k] = -t;
            v[2 * k + 1] = t;
        }
        if (units % 2 == 1) {
            v[units - 1] = v[0];
        }
    }
}
