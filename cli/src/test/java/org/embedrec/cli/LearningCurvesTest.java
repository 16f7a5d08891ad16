package org.embedrec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.embedrec.nn.train.EpochResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --plot}: one panel per quantity, written whole or not at all. */
class LearningCurvesTest {

    /** Three epochs of a rating model: training loss every epoch, validation RMSE at epochs 2 and 3. */
    private static final List<EpochResult> TWO_QUANTITIES = List.of(
            new EpochResult(1, 1.20, 0.1, 0, 100, Map.of()),
            new EpochResult(2, 0.90, 0.1, 0.01, 100, Map.of("rmse", 0.97)),
            new EpochResult(3, 0.85, 0.1, 0.01, 100, Map.of("rmse", 0.95)));

    @Test
    void eachQuantityIsOnePanelOfTheStackedImage(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("curves.png");
        LearningCurves.write(png, "mf on synthetic", TWO_QUANTITIES);

        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as("a PNG ImageIO can decode").isNotNull();
        assertThat(image.getWidth()).isEqualTo(LearningCurves.WIDTH);
        assertThat(image.getHeight()).isEqualTo(2 * LearningCurves.PANEL_HEIGHT);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left beside it").containsExactly(png);
        }
    }

    @Test
    void metricsThatDifferOnlyByKShareAPanelAndTheValidationLossJoinsTheTrainingLoss() {
        List<EpochResult> epochs = List.of(
                new EpochResult(1, 5.0, 0.1, 0.01, 100,
                        Map.of("loss", 5.5, "top_1_accuracy", 0.01, "top_5_accuracy", 0.04, "top_10_accuracy", 0.08)),
                new EpochResult(2, 4.0, 0.1, 0.01, 100,
                        Map.of("loss", 4.8, "top_1_accuracy", 0.02, "top_5_accuracy", 0.06, "top_10_accuracy", 0.11)));
        assertThat(LearningCurves.render("two-tower", epochs).getHeight()).isEqualTo(2 * LearningCurves.PANEL_HEIGHT);
    }

    @Test
    void aTargetThatCannotBeWrittenIsOneClearErrorAndLeavesNoFile(@TempDir Path dir) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("plots"), "a file, not a directory");
        Path png = notADirectory.resolve("curves.png");

        assertThatThrownBy(() -> LearningCurves.write(png, "mf", TWO_QUANTITIES))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("--plot " + png + ": cannot write it: ")
                .hasMessageContaining(notADirectory.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(notADirectory);
        }
    }

    @Test
    void aReadOnlyDirectoryIsOneClearErrorAndLeavesNoFile(@TempDir Path dir) throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "permissions are not enforced for this user (root)");
            Path png = readOnly.resolve("curves.png");
            assertThatThrownBy(() -> LearningCurves.write(png, "mf", TWO_QUANTITIES))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("--plot " + png + ": cannot write it: permission denied");
            try (Stream<Path> files = Files.list(readOnly)) {
                assertThat(files).isEmpty();
            }
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
