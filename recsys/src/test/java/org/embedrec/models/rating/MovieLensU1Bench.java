package org.embedrec.models.rating;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.nn.train.EpochResult;

/**
 * Scratch run, not a test: every model's test RMSE on MovieLens 100K's canonical u1 split,
 * read from a local copy (never part of the project). Args: the ml-100k directory, then
 * optionally a model name and "key=value" overrides (dim, lr, wlr, l2, epochs, batch, pre, opt, wopt).
 */
public final class MovieLensU1Bench {
    private MovieLensU1Bench() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/work/shared/data/ml-100k");
        List<String> names = args.length > 1 ? List.of(args[1]) : RatingModels.NAMES;
        Map<Integer, int[]> userInfo = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("u.user"), StandardCharsets.ISO_8859_1)) {
            String[] f = line.split("\\|");
            int age = Integer.parseInt(f[1]);
            int bucket = age < 18 ? 0 : age < 25 ? 1 : age < 35 ? 2 : age < 45 ? 3 : age < 50 ? 4 : age < 56 ? 5 : 6;
            userInfo.put(Integer.parseInt(f[0]) - 1, new int[] {bucket, f[2].equals("M") ? 0 : 1, f[3].hashCode()});
        }
        Map<String, Integer> occupations = new HashMap<>();
        Map<Integer, Integer> occupationOf = new HashMap<>();
        for (Map.Entry<Integer, int[]> e : userInfo.entrySet()) {
            occupationOf.put(e.getKey(), occupations.computeIfAbsent(String.valueOf(e.getValue()[2]), k -> occupations.size()));
        }
        int width = 6;
        Map<Integer, int[]> genres = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("u.item"), StandardCharsets.ISO_8859_1)) {
            String[] f = line.split("\\|");
            int[] g = new int[width];
            java.util.Arrays.fill(g, RatingFeatureSpec.PAD);
            int k = 0;
            for (int j = 0; j < 19 && k < width; j++) {
                if (f[5 + j].equals("1")) {
                    g[k++] = j;
                }
            }
            genres.put(Integer.parseInt(f[0]) - 1, g);
        }
        RatingFeatureSpec spec = RatingFeatureSpec.of(943, 1682)
                .withCategorical("age", 7).withCategorical("gender", 2)
                .withCategorical("occupation", occupations.size())
                .withMultiValued("genres", 19, width)
                .withCross(RatingFeatureSpec.USER, "genres", 1 << 15)
                .withCross("age", RatingFeatureSpec.ITEM, 1 << 14)
                .withCross("gender", RatingFeatureSpec.ITEM, 1 << 12);
        RatingExamples train = read(dir.resolve("u1.base"), spec, userInfo, occupationOf, genres, width);
        RatingExamples test = read(dir.resolve("u1.test"), spec, userInfo, occupationOf, genres, width);
        for (String name : names) {
            RatingModelConfig c = RatingModelConfig.defaults(name);
            for (int a = 2; a < args.length; a++) {
                String[] kv = args[a].split("=");
                c = switch (kv[0]) {
                    case "dim" -> c.withEmbeddingDim(Integer.parseInt(kv[1]));
                    case "lr" -> c.withLearningRate(Float.parseFloat(kv[1]));
                    case "wlr" -> c.withWideLearningRate(Float.parseFloat(kv[1]));
                    case "l2" -> c.withL2(Float.parseFloat(kv[1]));
                    case "epochs" -> c.withEpochs(Integer.parseInt(kv[1]));
                    case "batch" -> c.withBatchSize(Integer.parseInt(kv[1]));
                    case "pre" -> c.withPretrainEpochs(Integer.parseInt(kv[1]));
                    case "opt" -> c.withOptimizer(kv[1]);
                    case "wopt" -> c.withWideOptimizer(kv[1]);
                    case "dropout" -> c.withDropout(Float.parseFloat(kv[1]));
                    default -> throw new IllegalArgumentException(kv[0]);
                };
            }
            RatingModel m = RatingModels.create(name, spec, c, new Rng(c.seed()));
            long t0 = System.nanoTime();
            RatingTraining.Result r = RatingTraining.fit(m, c, train, test);
            double secs = (System.nanoTime() - t0) / 1e9;
            StringBuilder curve = new StringBuilder();
            for (EpochResult e : r.history().epochs()) {
                curve.append(String.format(" %.3f", e.validation().get("rmse")));
            }
            System.out.printf("%s %s: u1 test rmse %.4f in %.1f s (%.0f ex/s median epoch); curve%s%n", name, c,
                    r.history().last().validation().get("rmse"), secs,
                    train.size() / r.history().medianEpochSeconds(), curve);
        }
    }

    private static RatingExamples read(Path file, RatingFeatureSpec spec, Map<Integer, int[]> userInfo,
                                       Map<Integer, Integer> occupationOf, Map<Integer, int[]> genres, int width)
            throws IOException {
        List<String> lines = Files.readAllLines(file);
        int n = lines.size();
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        int[] age = new int[n];
        int[] gender = new int[n];
        int[] occ = new int[n];
        int[] gen = new int[n * width];
        for (int k = 0; k < n; k++) {
            String[] f = lines.get(k).split("\t");
            u[k] = Integer.parseInt(f[0]) - 1;
            i[k] = Integer.parseInt(f[1]) - 1;
            r[k] = Float.parseFloat(f[2]);
            int[] info = userInfo.get(u[k]);
            age[k] = info[0];
            gender[k] = info[1];
            occ[k] = occupationOf.get(u[k]);
            System.arraycopy(genres.get(i[k]), 0, gen, k * width, width);
        }
        return new RatingExamples(spec, u, i, r, Map.of("age", age, "gender", gender, "occupation", occ),
                Map.of("genres", gen));
    }
}
