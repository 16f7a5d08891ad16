package org.embedrec.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.embedrec.recommend.IndexSettings;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.RecommendedItem;
import org.embedrec.recommend.Recommender;

/**
 * Recall@K of what a running server answers against exact search: for {@code queries} known
 * users spread evenly over the model's users, the server's {@code /recommend?user=U&k=K&exclude_seen=true}
 * (say on an HNSW graph) and the same query answered in this process by the same model directory
 * loaded with exact search. Recall of one query is the share of the exact top K the server also
 * returned; the mean over queries is printed (and the worst query).
 *
 * <pre>
 * java -Xmx4g --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar org.embedrec.bench.ServedRecall \
 *     --port 18080 --model-dir /tmp/serve-1m [--queries 1000] [--k 10]
 * </pre>
 */
public final class ServedRecall {
    public static void main(String[] args) throws Exception {
        int port = 8080;
        Path modelDir = null;
        int queries = 1_000;
        int k = 10;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + ": expected a value after it");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value);
                case "--model-dir" -> modelDir = Path.of(value);
                case "--queries" -> queries = Integer.parseInt(value);
                case "--k" -> k = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (modelDir == null) {
            throw new IllegalArgumentException("--model-dir DIR: the directory the server serves is required");
        }
        Recommender exact = Recommender.load(modelDir, IndexSettings.EXACT);
        List<String> users = exact.userIds();
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        double sum = 0;
        double worst = 1;
        int n = Math.min(queries, users.size());
        for (int q = 0; q < n; q++) {
            String user = users.get((int) ((long) q * users.size() / n));
            Set<String> truth = new HashSet<>();
            for (RecommendedItem item : exact.recommend(Query.user(user).k(k).excludeSeen(true).build()).items()) {
                truth.add(item.itemId());
            }
            URI uri = URI.create("http://127.0.0.1:" + port + "/recommend?user="
                    + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&k=" + k + "&exclude_seen=true");
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(uri + ": status " + answer.statusCode() + ": " + answer.body());
            }
            int hits = 0;
            for (JsonNode item : json.readTree(answer.body()).get("items")) {
                hits += truth.contains(item.get("id").asText()) ? 1 : 0;
            }
            double recall = truth.isEmpty() ? 1 : (double) hits / truth.size();
            sum += recall;
            worst = Math.min(worst, recall);
        }
        System.out.printf(Locale.ROOT, "recall@%d of the served answers against exact search: %.4f over %d queries "
                + "(worst query %.2f); the server searches: %s%n", k, sum / n, n, worst, json.readTree(http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/models/default")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("index").asText("?"));
    }
}
