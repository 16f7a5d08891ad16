package org.embedrec.engine.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Without {@code --add-modules jdk.incubator.vector} the engine still works, on the scalar
 * kernels, and says so once. Checked in a fresh JVM started without the flag.
 */
class ScalarFallbackTest {

    /** Run in the child JVM: prints the kernels' name and the result of a small product. */
    public static void main(String[] args) {
        Kernels kernels = Kernels.get();
        float[] c = new float[1];
        kernels.sgemm(false, false, 1, 1, 2, new float[] {1, 2}, 0, new float[] {3, 4}, 0, c, 0, false);
        System.out.println("kernels=" + kernels.name() + " result=" + c[0]);
    }

    @Test
    void withoutTheVectorModuleTheScalarKernelsAreChosenWithOneLogLine() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ScalarFallbackTest.class.getName())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("kernels=scalar result=11.0");
        List<String> notes = output.lines().filter(l -> l.contains("jdk.incubator.vector is not present")).toList();
        assertThat(notes).as(output).hasSize(1);
    }
}
