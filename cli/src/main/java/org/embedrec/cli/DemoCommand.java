package org.embedrec.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;
import org.embedrec.engine.kernels.Kernels;
import org.embedrec.nn.Activation;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.Flatten;
import org.embedrec.nn.layers.Sequential;
import org.embedrec.nn.losses.BinaryCrossEntropy;
import org.embedrec.nn.losses.Reduction;
import org.embedrec.nn.losses.SparseCategoricalCrossEntropy;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.train.Accuracy;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.SupervisedTask;
import org.embedrec.nn.train.TensorDataset;
import org.embedrec.nn.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the built-in examples offline and shows what they learned: an MLP on XOR, and the
 * classic Keras embedding classifier (Embedding -> Dense relu -> Dense softmax).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train the built-in examples offline and print what they learned.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        out.println("embedrec demo  (kernels: " + Kernels.get().name() + ", seed " + seed + ")");
        out.println();
        xor(out);
        out.println();
        embeddingClassifier(out);
        return 0;
    }

    private void xor(PrintStream out) {
        out.println("1. XOR with Dense(2->8, tanh) -> Dense(8->1), binary cross-entropy, Adam 0.05");
        Tensor x = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        Rng rng = new Rng(seed);
        Sequential model = new Sequential("xor",
                new Dense(2, 8, Activation.TANH, rng),
                new Dense(8, 1, Activation.LINEAR, rng));
        SupervisedTask task = new SupervisedTask(model, new BinaryCrossEntropy(), Accuracy.BINARY_LOGIT);
        TensorDataset data = new TensorDataset(x, y);
        History h = new Trainer(new Adam(0.05f)).fit(task, data, data,
                FitConfig.of(300, 4).withSeed(seed).withValidationFreq(300));
        Tensor logits = task.predict(x);
        for (int i = 0; i < 4; i++) {
            double p = 1 / (1 + Math.exp(-logits.data()[i]));
            out.printf(Locale.ROOT, "   %d xor %d -> %.3f  (want %d)%n",
                    (int) x.get(i, 0), (int) x.get(i, 1), p, (int) y.data()[i]);
        }
        summary(out, h);
    }

    private void embeddingClassifier(PrintStream out) {
        out.println("2. Keras embedding classifier: Embedding(10, 10) -> Dense(50, relu) -> Dense(2, softmax), Adam 0.001, batch 4");
        int[] ids = {2, 3, 4, 5, 8, 1, 6, 7};
        int[] labels = {0, 1, 0, 1, 1, 0, 0, 1};
        int repeats = 4;
        float[] xs = new float[ids.length * repeats];
        float[] ys = new float[ids.length * repeats];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = ids[i % ids.length];
            ys[i] = labels[i % ids.length];
        }
        Rng rng = new Rng(seed);
        Sequential model = new Sequential("keras_example",
                new Embedding(10, 10, rng),
                new Flatten(),
                new Dense(10, 50, Activation.RELU, rng),
                new Dense(50, 2, Activation.SOFTMAX, rng));
        SupervisedTask task = new SupervisedTask(model,
                new SparseCategoricalCrossEntropy(false, Reduction.MEAN), Accuracy.CATEGORICAL);
        TensorDataset data = new TensorDataset(Tensor.wrap(xs, xs.length, 1), Tensor.wrap(ys, ys.length));
        History h = new Trainer(new Adam(0.001f)).fit(task, data, data,
                FitConfig.of(150, 4).withSeed(seed).withValidationFreq(150));
        float[] probe = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            probe[i] = ids[i];
        }
        Tensor p = task.predict(Tensor.wrap(probe, ids.length, 1));
        StringBuilder line = new StringBuilder("   id -> P(label 1):");
        for (int i = 0; i < ids.length; i++) {
            line.append(String.format(Locale.ROOT, "  %d:%.2f", ids[i], p.get(i, 1)));
        }
        out.println(line);
        summary(out, h);
    }

    private static void summary(PrintStream out, History h) {
        out.printf(Locale.ROOT, "   %d epochs in %.2fs, final loss %.4f, training accuracy %.0f%%%n",
                h.epochs().size(), h.trainSeconds(), h.last().loss(),
                100 * h.lastValidation("accuracy").orElse(Double.NaN));
    }
}
