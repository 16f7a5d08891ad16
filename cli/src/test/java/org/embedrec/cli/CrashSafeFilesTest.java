package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A process killed ({@code destroyForcibly}, SIGKILL) at a random moment while it saves a rating
 * model, a feature model, a split export, a checkpoint or a sasrec run's real checkpoint over and
 * over, alternating two versions, never leaves a directory that fails to load or loads as a mix: what loads afterwards is version
 * 0 or version 1, whole (see {@link SaveLoop}, the child). Each kind is killed
 * {@value #DEFAULT_KILLS} times by default, within {@value #DEFAULT_SECONDS} seconds; for the long
 * run, {@code -Dembedrec.kills=50} (and {@code -Dembedrec.killSeconds=600}).
 */
class CrashSafeFilesTest {
    private static final int DEFAULT_KILLS = 6;
    private static final int DEFAULT_SECONDS = 15;
    private static final int KILLS = Integer.getInteger("embedrec.kills", DEFAULT_KILLS);
    private static final int SECONDS = Integer.getInteger("embedrec.killSeconds", DEFAULT_SECONDS);
    /** Kills land anywhere in the first this many milliseconds of saving. */
    private static final int MAX_DELAY_MILLIS = 400;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rating-model", "feature-model", "split-export", "checkpoint", "sequential-checkpoint"})
    void aKilledSaveLeavesThePreviousSetOrTheNewOneWhole(String kindName) throws Exception {
        SaveLoop.Kind kind = SaveLoop.kind(kindName);
        String[] expected = new String[2];
        for (int v = 0; v < 2; v++) {
            Path reference = dir.resolve("reference-" + v);
            kind.write(reference, v);
            expected[v] = kind.readDigest(reference);
        }
        assertThat(expected[0]).as("the two versions differ").isNotEqualTo(expected[1]);

        Path target = dir.resolve("target");
        kind.write(target, 0);
        Random delays = new Random(kindName.hashCode());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        int kills = 0;
        int interrupted = 0;
        long saves = 0;
        int[] found = new int[2];
        Set<String> temporaries = new HashSet<>();
        while (kills < KILLS && (kills < 3 || System.nanoTime() < deadline)) {
            saves += killWhileSaving(kindName, target, delays.nextInt(MAX_DELAY_MILLIS));
            kills++;
            if (interruptedWrite(target, temporaries)) {
                interrupted++;
            }
            String digest = kind.readDigest(target);
            assertThat(digest).as("after kill %d, what loads is one version whole", kills).isIn((Object[]) expected);
            found[digest.equals(expected[0]) ? 0 : 1]++;
        }
        System.out.printf(Locale.ROOT, "%s: %d kills, all recovered (version 0 whole %d times, version 1 %d); "
                + "%d interrupted a write; %d saves completed between kills%n", kindName, kills, found[0], found[1],
                interrupted, saves);
        assertThat(kills).isGreaterThanOrEqualTo(Math.min(KILLS, 3));
    }

    /**
     * Starts a child saving into {@code target}, lets it run {@code millis} once it says it is
     * ready, and kills it; returns the number of saves it completed.
     */
    private static long killWhileSaving(String kind, Path target, int millis) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--add-modules=jdk.incubator.vector",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                SaveLoop.class.getName(), kind, target.toString()));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicLong saves = new AtomicLong();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the child starts saving").isEqualTo("ready");
            // Read on, so that a full pipe never stops the child outside a save.
            Thread reader = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        saves.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // the child is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(millis);
            assertThat(child.isAlive()).as("the child saves until it is killed").isTrue();
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        return saves.get();
    }

    /**
     * Whether the kill left signs of a save in progress that no earlier kill left: a temporary
     * directory or file not seen before (a later save removes them only once they are an hour
     * old), or more versions than the two a completed save keeps.
     */
    private static boolean interruptedWrite(Path target, Set<String> seen) throws IOException {
        List<String> names;
        try (Stream<Path> entries = Files.list(target)) {
            names = entries.map(p -> p.getFileName().toString()).toList();
        }
        boolean newTemporary = false;
        for (String name : names) {
            if ((name.startsWith(".tmp-") || name.endsWith(".tmp")) && seen.add(name)) {
                newTemporary = true;
            }
        }
        return newTemporary || names.stream().filter(n -> n.matches("[1-9][0-9]*")).count() > 2;
    }
}
