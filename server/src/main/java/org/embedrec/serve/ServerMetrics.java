package org.embedrec.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The server's metrics, scraped at {@code /metrics} in Prometheus text: requests by route,
 * method and status with a latency histogram ({@code embedrec_http_requests_seconds}), the
 * version each model serves ({@code embedrec_model_version}), reloads by outcome
 * ({@code embedrec_model_reloads_total}), and requests refused for overload
 * ({@code embedrec_http_rejected_total}) beside the queue's length.
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();
    private final Counter rejected;

    ServerMetrics() {
        rejected = Counter.builder("embedrec.http.rejected")
                .description("requests answered 503 because the queue was full").register(registry);
    }

    /** Reports {@code queueLength} as {@code embedrec_http_queue_length}. */
    void queue(Supplier<Number> queueLength) {
        Gauge.builder("embedrec.http.queue.length", queueLength).description("requests waiting for a worker")
                .register(registry);
    }

    void request(String route, String method, int status, long nanos) {
        String key = route + ' ' + method + ' ' + status;
        Timer timer = timers.computeIfAbsent(key, k -> Timer.builder("embedrec.http.requests")
                .description("requests answered, by route, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
        timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void rejected() {
        rejected.increment();
    }

    double rejectedCount() {
        return rejected.count();
    }

    void modelLoaded(ServedModel model) {
        versions.computeIfAbsent(model.name(), name -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("embedrec.model.version", v, AtomicLong::get).description("the version each model serves")
                    .tag("model", name).register(registry);
            return v;
        }).set(model.version());
    }

    void reloaded(String model) {
        reloads(model, "loaded").increment();
    }

    void reloadRefused(String model) {
        reloads(model, "refused").increment();
    }

    private Counter reloads(String model, String outcome) {
        return Counter.builder("embedrec.model.reloads").description("model reloads, by outcome")
                .tags("model", model, "outcome", outcome).register(registry);
    }

    /** Everything, in the Prometheus text format. */
    String scrape() {
        return registry.scrape();
    }
}
