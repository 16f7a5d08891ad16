package org.embedrec.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.embedrec.recommend.Query;
import org.embedrec.recommend.Recommender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named models of one server, each replaceable while serving. A reload loads the new
 * directory completely and asks it one question before swapping one reference: requests that
 * took the old {@link ServedModel} finish on it, later ones get the new one, and none waits or
 * fails. A directory that does not load (missing, damaged, half-written: the {@link Recommender}'s
 * checks of manifest and checksums) or cannot answer is refused; the old model keeps serving.
 * Reloads of one name are serialised, so two never race to be the last.
 */
final class ServedModels {
    private static final Logger LOG = LoggerFactory.getLogger(ServedModels.class);

    private final Map<String, AtomicReference<ServedModel>> models;
    private final String defaultName;
    private final ServerMetrics metrics;

    private ServedModels(Map<String, AtomicReference<ServedModel>> models, String defaultName, ServerMetrics metrics) {
        this.models = models;
        this.defaultName = defaultName;
        this.metrics = metrics;
    }

    /**
     * Loads every directory of {@code directories} (name to directory, the first the default).
     *
     * @throws IOException naming the model whose directory does not load
     */
    static ServedModels load(Map<String, Path> directories, ServerMetrics metrics) throws IOException {
        if (directories.isEmpty()) {
            throw new IllegalArgumentException("no model to serve; give --model-dir DIR");
        }
        Map<String, AtomicReference<ServedModel>> models = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : directories.entrySet()) {
            ServedModel served;
            try {
                served = open(e.getKey(), e.getValue());
            } catch (IOException | RuntimeException ex) {
                throw new IOException("model '" + e.getKey() + "' (" + e.getValue() + "): " + ex.getMessage(), ex);
            }
            models.put(e.getKey(), new AtomicReference<>(served));
            metrics.modelLoaded(served);
        }
        String first = directories.keySet().iterator().next();
        return new ServedModels(Collections.unmodifiableMap(models), first, metrics);
    }

    /** The model served as {@code name} now, or null when there is none. */
    ServedModel get(String name) {
        AtomicReference<ServedModel> ref = models.get(name);
        return ref == null ? null : ref.get();
    }

    /** The default model (served at {@code /recommend} and so on) now. */
    ServedModel defaultModel() {
        return get(defaultName);
    }

    String defaultName() {
        return defaultName;
    }

    List<String> names() {
        return List.copyOf(models.keySet());
    }

    /**
     * Loads {@code directory} (the model's own when null) and serves it as {@code name} from now on.
     *
     * @throws ReloadRefused when it does not load or cannot answer; the old model keeps serving
     * @throws IllegalArgumentException when no model is served as {@code name}
     */
    ServedModel reload(String name, Path directory) throws ReloadRefused {
        AtomicReference<ServedModel> ref = models.get(name);
        if (ref == null) {
            throw new IllegalArgumentException("no model '" + name + "'; served: " + String.join(", ", names()));
        }
        synchronized (ref) {
            ServedModel old = ref.get();
            Path dir = directory == null ? old.directory() : directory;
            ServedModel fresh;
            try {
                fresh = open(name, dir);
            } catch (IOException | RuntimeException e) {
                metrics.reloadRefused(name);
                LOG.warn("reload of model '{}' from {} refused, version {} keeps serving: {}", name, dir,
                        old.version(), e.getMessage());
                throw new ReloadRefused("model '" + name + "' from " + dir + " refused (version " + old.version()
                        + " keeps serving): " + e.getMessage(), e);
            }
            ref.set(fresh);
            metrics.modelLoaded(fresh);
            metrics.reloaded(name);
            LOG.info("model '{}' reloaded from {}: version {} replaces version {}", name, dir, fresh.version(),
                    old.version());
            return fresh;
        }
    }

    /** Loads {@code dir} and asks it one question, so a model that loads but cannot answer is not served. */
    private static ServedModel open(String name, Path dir) throws IOException {
        Objects.requireNonNull(dir, "directory");
        Recommender recommender = Recommender.load(dir);
        if (!recommender.info().kind().equals("rating")) {
            recommender.recommend(Query.builder().k(1).build());
        }
        return new ServedModel(name, dir, recommender, Instant.now());
    }
}
