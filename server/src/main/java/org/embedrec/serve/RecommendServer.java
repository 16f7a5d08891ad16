package org.embedrec.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommender;
import org.embedrec.recommend.Scores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code embedrec serve}: named {@link Recommender}s behind JSON endpoints, on Javalin (Jetty).
 * The routes are listed by {@link #routes()} and described in {@code /openapi.json}.
 *
 * <p>Load: Jetty's threads read requests and hand them to a fixed pool of {@code threads}
 * workers with a queue of {@code maxQueue}; when the queue is full the request is answered 503 at
 * once, so overload costs a short answer instead of memory. Bodies over {@code maxBodyBytes} are
 * answered 413 without being read.
 *
 * <p>Errors are JSON ({@link ErrorResponses}): a bad request is a 4xx naming the field; anything
 * unexpected is a 500 whose stack trace goes to the log, never to the client.
 */
public final class RecommendServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendServer.class);
    private static final String WEB = "/org/embedrec/serve/web";
    private static final String OPENAPI = "/org/embedrec/serve/openapi.json";
    private static final String ANSWERED = "embedrec.answered";

    /** A route: its method and path (Javalin's {@code {name}} for path parameters). */
    public record Route(String method, String path) {}

    private final ServeOptions options;
    private final ServedModels models;
    private final ServerMetrics metrics;
    private final ObjectMapper json = new ObjectMapper();
    private final QueryReader reader = new QueryReader(json);
    private final RecommendationsWriter recommendations = new RecommendationsWriter(json.getFactory());
    private final ThreadPoolExecutor workers;
    private final List<Route> routes = new ArrayList<>();
    private final byte[] openApi;
    private volatile boolean stopping;
    private Javalin app;

    private RecommendServer(ServeOptions options, ServedModels models, ServerMetrics metrics) throws IOException {
        this.options = options;
        this.models = models;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.SECONDS,
                options.maxQueue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(options.maxQueue()),
                r -> {
                    Thread t = new Thread(r, "embedrec-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        metrics.queue(() -> workers.getQueue().size());
        try (InputStream in = RecommendServer.class.getResourceAsStream(OPENAPI)) {
            if (in == null) {
                throw new IOException("the OpenAPI description " + OPENAPI + " is missing from the jar");
            }
            this.openApi = in.readAllBytes();
        }
    }

    /**
     * Loads the models of {@code directories} (name to model directory; the first is the default,
     * also served without {@code /models/{name}}) and starts answering on {@code options.port()}.
     *
     * @throws IOException naming the model whose directory does not load
     */
    public static RecommendServer start(Map<String, Path> directories, ServeOptions options) throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ServedModels models = ServedModels.load(directories, metrics);
        RecommendServer server = new RecommendServer(options, models, metrics);
        server.startJavalin();
        return server;
    }

    /** The port answering (the one chosen when the options said 0). */
    public int port() {
        return app.port();
    }

    /** Every route this server answers, as in {@code /openapi.json}. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Stops taking requests, lets those in progress finish (up to 10 s), and stops. */
    @Override
    public void close() {
        stopping = true;
        app.stop();
        workers.shutdown();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startJavalin() {
        app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = options.maxBodyBytes();
            config.jsonMapper(new JavalinJackson(json, false));
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = WEB;
                files.location = Location.CLASSPATH;
            });
            config.jetty.modifyServer(server -> server.setStopTimeout(10_000));
        });
        app.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), null, e.getStatus() == 404
                ? "no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json" : e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, null, "internal error; the server log has the details");
        });
        app.error(404, ctx -> {
            if (ctx.attribute(ANSWERED) == null) {
                error(ctx, 404, null, "no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json");
            }
        });

        get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        get("/readyz", this::ready);
        get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        get("/models", ctx -> {
            var list = json.createArrayNode();
            for (String name : models.names()) {
                list.add(AnswerJson.info(models.get(name)));
            }
            ctx.json(json.createObjectNode().put("default", models.defaultName()).set("models", list));
        });
        get("/models/{name}", ctx -> answer(ctx, "/models/{name}", m -> AnswerJson.info(m)));
        for (String prefix : new String[] {"", "/models/{name}"}) {
            get(prefix + "/recommend", ctx -> answer(ctx, prefix + "/recommend", m -> {
                Map<String, List<String>> params = ctx.queryParamMap();
                Query query = QueryReader.recommendParameters(params);
                AttributeSelection attributes = AttributeSelection.fromParameters(params, attributeNames(m));
                return recommendations.write(m, m.recommender().recommend(query), attributes);
            }));
            post(prefix + "/recommend", ctx -> answerBody(ctx, prefix + "/recommend", (m, body) -> {
                Query query = QueryReader.recommendBody(body, "");
                AttributeSelection attributes = AttributeSelection.fromBody(body, "", attributeNames(m));
                return recommendations.write(m, m.recommender().recommend(query), attributes);
            }));
            get(prefix + "/similar", ctx -> answer(ctx, prefix + "/similar", m -> {
                Map<String, List<String>> params = ctx.queryParamMap();
                String item = QueryReader.required(params, "item");
                int k = QueryReader.similarK(params);
                AttributeSelection attributes = AttributeSelection.fromParameters(params, attributeNames(m));
                return recommendations.write(m, m.recommender().similar(item, k), attributes);
            }));
            get(prefix + "/score", ctx -> answer(ctx, prefix + "/score", m -> score(m,
                    QueryReader.scoreParameters(ctx.queryParamMap()))));
            post(prefix + "/score", ctx -> answerBody(ctx, prefix + "/score", (m, body) ->
                    score(m, QueryReader.scoreBody(body))));
            post(prefix + "/batch", ctx -> answerBody(ctx, prefix + "/batch", (m, body) -> {
                List<Query> queries = QueryReader.batchBody(body);
                List<AttributeSelection> attributes = AttributeSelection.ofBatch(body, attributeNames(m));
                return AnswerJson.batch(m, m.recommender().recommendAll(queries), attributes);
            }));
            get(prefix + "/history", ctx -> answer(ctx, prefix + "/history", m ->
                    AnswerJson.history(m, QueryReader.required(ctx.queryParamMap(), "user"))));
            get(prefix + "/users", ctx -> answer(ctx, prefix + "/users", m -> users(m, ctx)));
        }
        post("/admin/models/{name}/reload", this::reload);
        app.start(options.port());
        LOG.info("serving {} on port {} ({} workers, queue {})", models.names(), app.port(), options.threads(),
                options.maxQueue());
    }

    private void get(String path, io.javalin.http.Handler handler) {
        routes.add(new Route("get", path));
        app.addHttpHandler(HandlerType.GET, path, handler);
    }

    private void post(String path, io.javalin.http.Handler handler) {
        routes.add(new Route("post", path));
        app.addHttpHandler(HandlerType.POST, path, handler);
    }

    private void ready(Context ctx) {
        var status = json.createObjectNode();
        status.put("ready", !stopping);
        var versions = status.putObject("models");
        for (String name : models.names()) {
            versions.put(name, models.get(name).version());
        }
        ctx.status(stopping ? 503 : 200).json(status);
    }

    private static List<String> attributeNames(ServedModel m) {
        return m.recommender().catalogue().attributeNames();
    }

    private JsonNode score(ServedModel m, Scores.Request request) {
        return AnswerJson.scores(m, m.recommender().score(request.query(), request.itemIds()));
    }

    /** The ids of the known users, for the web page's picker: {@code ?prefix=} and {@code ?limit=} (100 by default). */
    private JsonNode users(ServedModel m, Context ctx) {
        String prefix = ctx.queryParam("prefix");
        String limitText = ctx.queryParam("limit");
        int limit = 100;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                throw BadRequest.of("limit", "'" + QueryReader.abbreviate(limitText) + "' is not a whole number");
            }
            if (limit < 1 || limit > Query.MAX_K) {
                throw BadRequest.of("limit", limit + " is out of range; expected 1 to " + Query.MAX_K);
            }
        }
        var root = AnswerJson.header(m);
        var ids = root.putArray("users");
        for (String id : m.recommender().userIds()) {
            if (prefix == null || id.startsWith(prefix)) {
                ids.add(id);
                if (ids.size() == limit) {
                    break;
                }
            }
        }
        return root;
    }

    private void reload(Context ctx) throws IOException {
        if (options.adminToken() == null) {
            error(ctx, 403, null, "the admin endpoints are off; start the server with --admin-token");
            return;
        }
        String auth = ctx.header("Authorization");
        if (auth == null || !java.security.MessageDigest.isEqual(("Bearer " + options.adminToken())
                .getBytes(StandardCharsets.UTF_8), auth.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, 401, "Authorization", "expected the header 'Authorization: Bearer <admin token>'");
            return;
        }
        String name = ctx.pathParam("name");
        Path dir = null;
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > 0) {
            JsonNode body;
            try {
                body = reader.body(bytes);
                QueryReader.requireKnown(body::fieldNames, java.util.Set.of("model_dir"), "");
                JsonNode d = body.get("model_dir");
                if (d != null && !d.isTextual()) {
                    throw BadRequest.of("model_dir", "expected a directory path string, got " + QueryReader.kind(d));
                }
                dir = d == null ? null : Path.of(d.textValue());
            } catch (BadRequest e) {
                error(ctx, e.status(), e.field(), e.getMessage());
                return;
            } catch (java.nio.file.InvalidPathException e) {
                error(ctx, 400, "model_dir", "not a path: " + e.getMessage());
                return;
            }
        }
        if (models.get(name) == null) {
            error(ctx, 404, "name", "no model '" + name + "'; served: " + String.join(", ", models.names()));
            return;
        }
        try {
            ServedModel fresh = models.reload(name, dir);
            ctx.json(AnswerJson.header(fresh).put("reloaded", true).put("directory", fresh.directory().toString()));
        } catch (ReloadRefused e) {
            error(ctx, 422, "model_dir", e.getMessage());
        }
    }

    /**
     * Answers on a worker from the model the request names; {@code route} labels the metrics.
     * The work gives a {@link JsonNode}, or the answer's JSON already written as bytes.
     */
    private void answer(Context ctx, String route, Function<ServedModel, Object> work) {
        submit(ctx, route, () -> work.apply(model(ctx)));
    }

    private interface BodyWork {
        Object apply(ServedModel model, JsonNode body);
    }

    /** {@link #answer} for a JSON body, read here (bounded by Jetty) and parsed on the worker. */
    private void answerBody(Context ctx, String route, BodyWork work) {
        byte[] bytes = ctx.bodyAsBytes();
        submit(ctx, route, () -> {
            ServedModel model = model(ctx);
            return work.apply(model, reader.body(bytes));
        });
    }

    private ServedModel model(Context ctx) {
        String name = ctx.pathParamMap().containsKey("name") ? ctx.pathParam("name") : models.defaultName();
        ServedModel model = models.get(name);
        if (model == null) {
            throw new BadRequest(404, "name", "no model '" + name + "'; served: " + String.join(", ", models.names()));
        }
        return model;
    }

    private void submit(Context ctx, String route, java.util.function.Supplier<Object> work) {
        long start = System.nanoTime();
        String method = ctx.method().name();
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                int status;
                try {
                    Object body = work.get();
                    if (body instanceof byte[] bytes) {
                        ctx.contentType(ContentType.APPLICATION_JSON).result(bytes);
                    } else {
                        ctx.json(body);
                    }
                    status = 200;
                } catch (BadRequest e) {
                    status = error(ctx, e.status(), e.field(), e.getMessage());
                } catch (IllegalArgumentException e) {
                    BadRequest b = ErrorResponses.fromModel(e, "");
                    status = error(ctx, b.status(), b.field(), b.getMessage());
                } catch (UnsupportedOperationException e) {
                    status = error(ctx, 422, null, e.getMessage());
                } catch (RuntimeException | Error e) {
                    LOG.error("{} {} failed", method, ctx.path(), e);
                    status = error(ctx, 500, null, "internal error; the server log has the details");
                }
                metrics.request(route, method, status, System.nanoTime() - start);
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            metrics.rejected();
            int status = error(ctx, 503, null, "overloaded: " + options.maxQueue()
                    + " requests are already waiting; retry shortly");
            ctx.header("Retry-After", "1");
            metrics.request(route, method, status, System.nanoTime() - start);
            return;
        }
        ctx.future(() -> done);
    }

    private int error(Context ctx, int status, String field, String message) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).json(ErrorResponses.body(status, field, message));
        return status;
    }
}
