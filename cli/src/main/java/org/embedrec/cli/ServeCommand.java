package org.embedrec.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.embedrec.serve.RecommendServer;
import org.embedrec.serve.ServeOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code embedrec serve}: saved models behind JSON endpoints and a web page, until the process
 * is stopped (Ctrl-C or SIGTERM stop it gracefully). Everything is {@link RecommendServer}'s; this
 * only reads the options.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve saved models over HTTP: JSON endpoints (recommend, similar, score, batch), /healthz, "
                + "/readyz, /metrics (Prometheus), /openapi.json, hot reload, and a web page at /.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--model-dir", paramLabel = "DIR", required = true,
            description = "The default model: a directory written by train --save (served at /recommend and as "
                    + "/models/default/...).")
    Path modelDir;

    @Option(names = "--model", paramLabel = "NAME=DIR",
            description = "Another model, served at /models/NAME/... (repeatable).")
    Map<String, Path> more = new LinkedHashMap<>();

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--threads", paramLabel = "N",
            description = "Worker threads answering requests (default: one per processor).")
    Integer threads;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "256",
            description = "Requests that may wait for a worker; beyond them the answer is 503 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576",
            description = "The largest request body; larger is answered 413 (default: ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Turn on POST /admin/models/NAME/reload for requests with 'Authorization: Bearer TOKEN' "
                    + "(default: the EMBEDREC_ADMIN_TOKEN environment variable; off when neither is set).")
    String adminToken;

    @Override
    public Integer call() throws Exception {
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("default", modelDir);
        for (Map.Entry<String, Path> e : more.entrySet()) {
            if (!e.getKey().matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("--model " + e.getKey() + "=...: a name is 1 to 64 letters, digits, "
                        + "'_', '.' or '-'");
            }
            if (models.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("--model " + e.getKey() + "=...: the name is already taken");
            }
        }
        String token = adminToken != null ? adminToken : System.getenv("EMBEDREC_ADMIN_TOKEN");
        ServeOptions options = ServeOptions.defaults().withPort(port).withMaxQueue(maxQueue).withMaxBody(maxBody)
                .withAdminToken(token == null || token.isEmpty() ? null : token);
        if (threads != null) {
            options = options.withThreads(threads);
        }
        RecommendServer server = RecommendServer.start(models, options);
        System.out.println("embedrec serve: " + String.join(", ", models.keySet()) + " on http://localhost:"
                + server.port() + "/" + (options.adminToken() == null ? "" : " (reload on)"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "embedrec-serve-stop"));
        stopped.await();
        return 0;
    }
}
