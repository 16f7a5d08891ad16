package org.embedrec.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.SparkSession;
import org.embedrec.recommend.Recommender;

/**
 * A saved embedrec model directory held as bytes (relative path to content), so that it travels
 * as one broadcast to the executors and is written to or read from any Hadoop file system (local,
 * HDFS, S3) by ML persistence. The directory is exactly what {@link Recommender#save} writes and
 * {@link Recommender#load} reads; executors and the driver answer through a {@link Recommender}
 * loaded from it, so Spark's answers are the single-process recommender's.
 */
final class ModelArtifact implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Recommender> LOADED = new ConcurrentHashMap<>();

    private final TreeMap<String, byte[]> files;
    private final String id;

    private ModelArtifact(TreeMap<String, byte[]> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("an embedrec model directory with no files");
        }
        this.files = files;
        this.id = digest(files);
    }

    /** Writes a model directory, {@link Recommender#load}'s to read, at the path it is given. */
    interface DirectoryWriter {
        void write(Path dir) throws IOException;
    }

    /** The files {@code recommender} saves. */
    static ModelArtifact of(Recommender recommender) {
        return written(recommender::save);
    }

    /** The files {@code writer} writes (a preset's own files, which {@link Recommender#save} does not write). */
    static ModelArtifact written(DirectoryWriter writer) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("embedrec-spark-save");
            Path model = dir.resolve("model");
            writer.write(model);
            TreeMap<String, byte[]> files = new TreeMap<>();
            try (Stream<Path> walk = Files.walk(model)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                    files.put(model.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                }
            }
            return new ModelArtifact(files);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the trained model: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
    }

    /** The content's digest: two artifacts with the same files share one loaded recommender per JVM. */
    String id() {
        return id;
    }

    /** This JVM's recommender of these files, loaded on first use (written to a temporary directory and read back). */
    Recommender recommender() {
        return LOADED.computeIfAbsent(id, key -> {
            Path dir = null;
            try {
                dir = Files.createTempDirectory("embedrec-spark-load");
                Path model = dir.resolve("model");
                writeTo(model);
                return Recommender.load(model);
            } catch (IOException e) {
                throw new UncheckedIOException("could not load the embedrec model: " + e.getMessage(), e);
            } finally {
                deleteQuietly(dir);
            }
        });
    }

    /** Writes the files under {@code dir} (a local directory). */
    void writeTo(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    /** Writes the files under {@code dir} on its Hadoop file system; refuses a directory that exists. */
    void save(String dir, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        if (fs.exists(root)) {
            throw new IOException(dir + ": already exists; an embedrec model is written to a new directory");
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(root, e.getKey()), false)) {
                out.write(e.getValue());
            }
        }
    }

    /** The files under {@code dir} on its Hadoop file system. */
    static ModelArtifact read(String dir, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new IOException(dir + ": no such directory; expected the embedrec model a Spark model saved there");
        }
        String prefix = fs.getFileStatus(root).getPath().toUri().getPath();
        TreeMap<String, byte[]> files = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            FileStatus f = it.next();
            String rel = f.getPath().toUri().getPath().substring(prefix.length() + 1);
            try (InputStream in = fs.open(f.getPath())) {
                files.put(rel, in.readAllBytes());
            }
        }
        return new ModelArtifact(files);
    }

    private static String digest(TreeMap<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is harmless.
        }
    }

    /**
     * An estimator's model saved the Spark ML way: Spark's metadata of {@code instance} at
     * {@code path}, then this artifact in {@code path/embedrec} (a directory {@code Recommender.load} reads).
     */
    void saveWithMetadata(Params instance, String path, SparkSession spark) {
        DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, spark);
        try {
            save(new org.apache.hadoop.fs.Path(path, EmbedrecRatingModel.EMBEDREC_DIR).toString(),
                    spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The artifact {@link #saveWithMetadata} wrote under {@code path}. */
    static ModelArtifact readBesideMetadata(String path, SparkSession spark) {
        try {
            return read(new org.apache.hadoop.fs.Path(path, EmbedrecRatingModel.EMBEDREC_DIR).toString(),
                    spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
