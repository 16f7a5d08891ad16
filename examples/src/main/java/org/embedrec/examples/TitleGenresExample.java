package org.embedrec.examples;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.embedrec.data.Items;
import org.embedrec.data.RatingsData;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.engine.Rng;
import org.embedrec.engine.SequenceMask;
import org.embedrec.engine.Tensor;
import org.embedrec.features.TextVectorization;
import org.embedrec.nn.Activation;
import org.embedrec.nn.Layer;
import org.embedrec.nn.SequenceLayer;
import org.embedrec.nn.layers.Conv1D;
import org.embedrec.nn.layers.Dense;
import org.embedrec.nn.layers.Dropout;
import org.embedrec.nn.layers.Embedding;
import org.embedrec.nn.layers.GRU;
import org.embedrec.nn.layers.GlobalMaxPooling1D;
import org.embedrec.nn.layers.Padding;
import org.embedrec.nn.losses.BinaryCrossEntropy;
import org.embedrec.nn.optim.Adam;
import org.embedrec.nn.train.FitConfig;
import org.embedrec.nn.train.History;
import org.embedrec.nn.train.SupervisedTask;
import org.embedrec.nn.train.TensorDataset;
import org.embedrec.nn.train.Trainer;

/**
 * Movie titles into genres, a multi-label text classifier: the words of a title (its year left
 * out) become ids ({@link TextVectorization}, adapted on the training titles), then embeddings, then
 * either a convolution over word pairs with a max over the real words or a GRU over the words, and a
 * dense layer with one logit per genre, trained with binary cross-entropy.
 *
 * <p>Reported on held-out movies (random 80/20, seed 42): top-1 accuracy, the share of movies whose
 * highest-scoring genre is one of theirs, and micro-averaged F1 of the genres scored above 0.5;
 * beside them the baseline that always answers the most frequent training genre.
 *
 * <p>Run it on MovieLens 100K (never copied into the project):
 * {@code java -cp ... org.embedrec.examples.TitleGenresExample ../shared/data/ml-100k [conv|gru]}.
 */
public final class TitleGenresExample {
    static final int MAX_WORDS = 8;
    private static final int EMBEDDING = 32;
    private static final int HIDDEN = 64;

    private TitleGenresExample() {
    }

    /** The two encoders of a title's words. */
    public enum Encoder { CONV, GRU }

    /** Titles and their genres (indices into {@code genreNames}). */
    public record Movies(String[] titles, int[][] genres, List<String> genreNames) {
        public int size() {
            return titles.length;
        }
    }

    /** Held-out scores of one run, the most-frequent-genre baseline's beside them. */
    public record Result(Encoder encoder, double topOneAccuracy, double microF1, double meanAuc, double baselineTopOne,
                         double baselineMicroF1, double secondsPerEpoch, int epochs, int vocabulary) {}

    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        try {
            Movies movies = readMovieLens(dir);
            List<Encoder> encoders = args.length > 1
                    ? List.of(Encoder.valueOf(args[1].toUpperCase(Locale.ROOT)))
                    : List.of(Encoder.values());
            for (Encoder encoder : encoders) {
                run(movies, encoder, Integer.getInteger("epochs", 20), 42, System.out);
            }
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("title-genres: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The titles (without their trailing year) and genres of a MovieLens directory's movies. */
    public static Movies readMovieLens(Path dir) {
        RatingsData data = MovieLensReader.read(dir);
        Items items = data.items().orElseThrow(() -> new IllegalArgumentException(dir + " has no movie table"));
        String[] titles = new String[items.size()];
        int[][] genres = new int[items.size()][];
        for (int i = 0; i < titles.length; i++) {
            titles[i] = items.title(i).replaceFirst("\\s*\\(\\d{4}\\)\\s*$", "");
            genres[i] = items.genreIndices(i);
        }
        return new Movies(titles, genres, items.genreNames());
    }

    /** Trains one classifier for {@code epochs} on 80% of the movies and scores it on the rest. */
    public static Result run(Movies movies, Encoder encoder, int epochs, long seed, PrintStream out) {
        int[] order = new Rng(seed).permutation(movies.size());
        int trainSize = (int) Math.round(movies.size() * 0.8);
        String[] trainTitles = new String[trainSize];
        for (int i = 0; i < trainSize; i++) {
            trainTitles[i] = movies.titles()[order[i]];
        }
        // Words of one training title only are out of vocabulary already in training, so the model
        // learns what an unknown word says: most held-out titles have some.
        TextVectorization words = TextVectorization.builder(MAX_WORDS)
                .vocabulary(wordsSeenTwice(trainTitles)).build();
        int genres = movies.genreNames().size();
        TensorDataset train = encode(movies, order, 0, trainSize, words);
        TensorDataset test = encode(movies, order, trainSize, movies.size(), words);

        TitleClassifier model = new TitleClassifier(words.vocabularySize(), genres, encoder, new Rng(seed));
        SupervisedTask task = new SupervisedTask(model, new BinaryCrossEntropy());
        History history = new Trainer(new Adam(0.005f)).fit(task, train, FitConfig.of(epochs, 64).withSeed(seed));

        float[] logits = task.predict(test.all().x()).data();
        float[] truth = test.all().y().data();
        int common = mostFrequentGenre(train.all().y().data(), genres);
        Result result = new Result(encoder, topOne(logits, truth, genres), microF1(logits, truth, genres),
                meanAuc(logits, truth, genres),
                topOne(constantScores(truth.length / genres, genres, common), truth, genres),
                microF1(constantScores(truth.length / genres, genres, common), truth, genres),
                history.medianEpochSeconds(), epochs, words.vocabularySize());
        out.printf(Locale.ROOT, "%s over title words (%d ids, %d training titles, %d held out): top-1 accuracy %.3f, "
                        + "micro-F1 %.3f, mean AUC %.3f; always '%s': %.3f, %.3f, 0.5; %.3f s/epoch, %d epochs%n",
                encoder.name().toLowerCase(Locale.ROOT), words.vocabularySize(), train.size(), test.size(),
                result.topOneAccuracy(), result.microF1(), result.meanAuc(), movies.genreNames().get(common), result.baselineTopOne(),
                result.baselineMicroF1(), result.secondsPerEpoch(), epochs);
        return result;
    }

    /** Embedding, the encoder over the real words, dropout, one logit per genre. */
    static final class TitleClassifier extends Layer {
        private final Embedding embedding;
        private final Layer encoder;
        private final boolean convolution;
        private final GlobalMaxPooling1D pool = new GlobalMaxPooling1D();
        private final Dropout dropout;
        private final Dense head;

        TitleClassifier(int vocabulary, int genres, Encoder kind, Rng rng) {
            super("title_classifier");
            this.embedding = addChild(new Embedding(vocabulary, EMBEDDING, rng));
            this.convolution = kind == Encoder.CONV;
            this.encoder = addChild(convolution
                    ? Conv1D.builder(EMBEDDING, HIDDEN, 2).padding(Padding.SAME).activation(Activation.RELU).build(rng)
                    : new GRU(EMBEDDING, HIDDEN, rng));
            this.dropout = addChild(new Dropout(0.3, rng));
            this.head = addChild(new Dense(HIDDEN, genres, rng));
        }

        /** Word ids {@code [batch, MAX_WORDS]}, 0 after the last word; logits {@code [batch, genres]}. */
        @Override
        public Tensor apply(Tensor ids) {
            int batch = ids.dim(0);
            int[] rows = new int[ids.size()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (int) ids.data()[i];
            }
            SequenceMask words = SequenceMask.fromIds(rows, batch, ids.dim(1), TextVectorization.PAD_ID);
            Tensor vectors = embedding.lookup(rows, batch, ids.dim(1));
            // The convolution's window t starts at word t, so the real windows are those of the real words.
            Tensor encoded = convolution
                    ? pool.apply(encoder.apply(vectors), words)
                    : ((SequenceLayer) encoder).apply(vectors, words);
            return head.apply(dropout.apply(encoded));
        }
    }

    /** Rows {@code order[from..to)}: word ids {@code [n, MAX_WORDS]} and multi-hot genres {@code [n, genres]}. */
    private static TensorDataset encode(Movies movies, int[] order, int from, int to, TextVectorization words) {
        int n = to - from;
        int genres = movies.genreNames().size();
        String[] titles = new String[n];
        float[] y = new float[n * genres];
        for (int i = 0; i < n; i++) {
            titles[i] = movies.titles()[order[from + i]];
            for (int g : movies.genres()[order[from + i]]) {
                y[i * genres + g] = 1f;
            }
        }
        int[] ids = words.transform(titles);
        float[] x = new float[ids.length];
        for (int i = 0; i < ids.length; i++) {
            x[i] = ids[i];
        }
        return new TensorDataset(Tensor.wrap(x, n, MAX_WORDS), Tensor.wrap(y, n, genres));
    }

    /** The words of at least two of {@code titles}, most frequent first, ties in string order. */
    static List<String> wordsSeenTwice(String[] titles) {
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (String title : titles) {
            for (String word : new java.util.LinkedHashSet<>(TextVectorization.tokens(title))) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<String> words = new java.util.ArrayList<>();
        counts.forEach((word, count) -> {
            if (count >= 2) {
                words.add(word);
            }
        });
        words.sort(java.util.Comparator.comparing((String w) -> -counts.get(w)).thenComparing(w -> w));
        return words;
    }

    /**
     * The mean over genres of the area under the ROC curve of ranking the rows by their logit for
     * the genre (ties counting one half), over the genres with both kinds of rows; 0.5 is no better
     * than chance, and any constant score gets it.
     */
    static double meanAuc(float[] logits, float[] truth, int genres) {
        int rows = truth.length / genres;
        double sum = 0;
        int counted = 0;
        for (int g = 0; g < genres; g++) {
            long positives = 0;
            double wins = 0;
            for (int i = 0; i < rows; i++) {
                if (truth[i * genres + g] <= 0.5f) {
                    continue;
                }
                positives++;
                for (int j = 0; j < rows; j++) {
                    if (truth[j * genres + g] > 0.5f) {
                        continue;
                    }
                    float a = logits[i * genres + g];
                    float b = logits[j * genres + g];
                    wins += a > b ? 1 : a == b ? 0.5 : 0;
                }
            }
            long negatives = rows - positives;
            if (positives > 0 && negatives > 0) {
                sum += wins / (positives * negatives);
                counted++;
            }
        }
        return counted == 0 ? 0.5 : sum / counted;
    }

    static int mostFrequentGenre(float[] multiHot, int genres) {
        double[] counts = new double[genres];
        for (int i = 0; i < multiHot.length; i++) {
            counts[i % genres] += multiHot[i];
        }
        int best = 0;
        for (int g = 1; g < genres; g++) {
            if (counts[g] > counts[best]) {
                best = g;
            }
        }
        return best;
    }

    /** Scores that put {@code genre} first, above 0.5, and every other genre below. */
    private static float[] constantScores(int rows, int genres, int genre) {
        float[] scores = new float[rows * genres];
        java.util.Arrays.fill(scores, -1f);
        for (int r = 0; r < rows; r++) {
            scores[r * genres + genre] = 1f;
        }
        return scores;
    }

    /** The share of rows whose highest logit is a true genre. */
    static double topOne(float[] logits, float[] truth, int genres) {
        int rows = truth.length / genres;
        int right = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int g = 1; g < genres; g++) {
                if (logits[r * genres + g] > logits[r * genres + best]) {
                    best = g;
                }
            }
            right += truth[r * genres + best] > 0.5f ? 1 : 0;
        }
        return rows == 0 ? 0 : (double) right / rows;
    }

    /** {@code 2 TP / (2 TP + FP + FN)} over every (movie, genre) pair, a genre predicted when its logit is above 0. */
    static double microF1(float[] logits, float[] truth, int genres) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < truth.length; i++) {
            boolean predicted = logits[i] > 0f;
            boolean actual = truth[i] > 0.5f;
            tp += predicted && actual ? 1 : 0;
            fp += predicted && !actual ? 1 : 0;
            fn += !predicted && actual ? 1 : 0;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
