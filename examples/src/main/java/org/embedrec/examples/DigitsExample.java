package org.embedrec.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.layers.Conv2D;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.MaxPool2D;
import org.embedrec.nn.layers.Padding;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.SparseCategoricalCrossEntropy;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.train.Accuracy;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.SupervisedTask;
import org.embedrec.nn.train.TensorDataset;
import org.embedrec.nn.train.Trainer;

/**
 * A small convolutional network on the 8x8 handwritten digits (UCI, CC BY 4.0; the tests read a copy
 * in this module's test resources, beside its attribution), beside the two baselines it should beat: multinomial
 * logistic regression and a one-hidden-layer perceptron, all trained the same way on the same
 * stratified 80/20 split (seed 42).
 *
 * <pre>
 * conv: Conv2D 3x3x32 same relu -> MaxPool 2x2 -> Conv2D 3x3x64 same relu -> MaxPool 2x2
 *       -> Flatten (256) -> Dropout 0.25 -> Dense 10
 * </pre>
 *
 * <p>Run it with {@code java -cp ... org.embedrec.examples.DigitsExample PATH/digits.csv}; it prints each
 * model's test accuracy and median seconds per epoch.
 */
public final class DigitsExample {
    static final int SIDE = 8;
    static final int CLASSES = 10;
    private static final int PIXELS = SIDE * SIDE;
    private static final long SEED = 42;

    private DigitsExample() {
    }

    /** Images {@code [n, 8, 8, 1]} scaled to [0, 1] and their classes. */
    public record Digits(float[] pixels, int[] labels) {
        public int size() {
            return labels.length;
        }
    }

    /** One model's outcome: test accuracy, median seconds per training epoch, epochs, trainable scalars. */
    public record Result(String model, double testAccuracy, double secondsPerEpoch, int epochs, long parameters) {}

    public static void main(String[] args) {
        try {
            if (args.length != 1) {
                System.err.println("usage: DigitsExample PATH/digits.csv   (for instance ../shared/data/digits/digits.csv)");
                System.exit(2);
            }
            Digits digits = read(Path.of(args[0]));
            run(digits, 30, System.out);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("digits: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Trains the three models for {@code epochs} each and prints a line per model; returns them in order. */
    public static List<Result> run(Digits digits, int epochs, PrintStream out) {
        TensorDataset[] split = stratifiedSplit(digits, 0.2, SEED);
        out.printf(Locale.ROOT, "8x8 digits: %d training images, %d test images (stratified 80/20, seed %d)%n",
                split[0].size(), split[1].size(), SEED);
        List<Result> results = new ArrayList<>();
        results.add(train("logistic regression", logisticRegression(new Rng(SEED)), split, epochs));
        results.add(train("mlp 64", perceptron(new Rng(SEED)), split, epochs));
        results.add(train("conv", convNet(new Rng(SEED)), split, epochs));
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-20s test accuracy %.4f   %.3f s/epoch   %d epochs   %d parameters%n",
                    r.model(), r.testAccuracy(), r.secondsPerEpoch(), r.epochs(), r.parameters());
        }
        return results;
    }

    /** The network the example is about. */
    public static Layer convNet(Rng rng) {
        return new Sequential("conv",
                Conv2D.builder(1, 32, 3, 3).padding(Padding.SAME).activation(Activation.RELU).build(rng),
                new MaxPool2D(2, 2),
                Conv2D.builder(32, 64, 3, 3).padding(Padding.SAME).activation(Activation.RELU).build(rng),
                new MaxPool2D(2, 2),
                new Flatten(),
                new Dropout(0.25, rng),
                new Dense(2 * 2 * 64, CLASSES, rng));
    }

    static Layer logisticRegression(Rng rng) {
        return new Sequential("logistic", new Flatten(), new Dense(PIXELS, CLASSES, rng));
    }

    static Layer perceptron(Rng rng) {
        return new Sequential("mlp", new Flatten(), new Dense(PIXELS, 64, Activation.RELU, rng),
                new Dense(64, CLASSES, rng));
    }

    private static Result train(String name, Layer model, TensorDataset[] split, int epochs) {
        SupervisedTask task = new SupervisedTask(model, new SparseCategoricalCrossEntropy(), Accuracy.CATEGORICAL);
        History history = new Trainer(new Adam(0.002f)).fit(task, split[0], split[1],
                FitConfig.of(epochs, 32).withSeed(SEED).withValidationFreq(epochs));
        return new Result(name, history.lastValidation("accuracy").orElseThrow(), history.medianEpochSeconds(), epochs,
                model.parameterCount());
    }

    /**
     * {train, test}: from each class, a seeded shuffle of its images with the first {@code testFraction}
     * (rounded) held out, so both parts have the classes in the proportions of the whole.
     */
    public static TensorDataset[] stratifiedSplit(Digits digits, double testFraction, long seed) {
        Rng rng = new Rng(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < digits.size(); i++) {
                if (digits.labels()[i] == c) {
                    members.add(i);
                }
            }
            int[] order = rng.permutation(members.size());
            int held = (int) Math.round(members.size() * testFraction);
            for (int k = 0; k < order.length; k++) {
                (k < held ? test : train).add(members.get(order[k]));
            }
        }
        return new TensorDataset[] {subset(digits, train), subset(digits, test)};
    }

    private static TensorDataset subset(Digits digits, List<Integer> rows) {
        float[] x = new float[rows.size() * PIXELS];
        float[] y = new float[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(digits.pixels(), rows.get(r) * PIXELS, x, r * PIXELS, PIXELS);
            y[r] = digits.labels()[rows.get(r)];
        }
        return new TensorDataset(Tensor.wrap(x, rows.size(), SIDE, SIDE, 1), Tensor.wrap(y, rows.size()));
    }

    public static Digits read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Lines of 65 integers: 64 pixels in 0..16, then the class in 0..9. A line that is not is refused
     * with its file, line number and what was expected.
     */
    static Digits read(InputStream in, String source) throws IOException {
        List<float[]> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        int lineNumber = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != PIXELS + 1) {
                throw new IllegalArgumentException(source + " line " + lineNumber + ": expected 65 comma-separated "
                        + "integers (64 pixels, then the class), got " + fields.length + " fields");
            }
            float[] image = new float[PIXELS];
            for (int j = 0; j < PIXELS; j++) {
                image[j] = integer(fields[j], 16, source, lineNumber, "pixel " + (j + 1)) / 16f;
            }
            images.add(image);
            labels.add(integer(fields[PIXELS], 9, source, lineNumber, "the class"));
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(source + ": no images");
        }
        float[] pixels = new float[images.size() * PIXELS];
        int[] y = new int[images.size()];
        for (int i = 0; i < y.length; i++) {
            System.arraycopy(images.get(i), 0, pixels, i * PIXELS, PIXELS);
            y[i] = labels.get(i);
        }
        return new Digits(pixels, y);
    }

    private static int integer(String text, int max, String source, int line, String what) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 0 && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the position
        }
        throw new IllegalArgumentException(source + " line " + line + ": " + what + " is \"" + text
                + "\", expected an integer in 0.." + max);
    }
}
