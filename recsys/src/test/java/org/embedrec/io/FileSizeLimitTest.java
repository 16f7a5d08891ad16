package org.embedrec.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSizeLimitTest {

    @Test
    void aFileOfExactlyTheLimitReadsAndOneByteMoreIsRefusedWithItsSize(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f.json");
        Files.write(file, new byte[10]);
        assertThat(FileSizeLimit.readBytes(file, 10)).hasSize(10);
        assertThatThrownBy(() -> FileSizeLimit.readBytes(file, 9)).isInstanceOf(FileSizeLimit.TooLarge.class)
                .hasMessage("10 bytes, larger than the limit of 9 bytes for this kind of file");
    }

    @Test
    void aFileThatKeepsComingIsCutOffOneBytePastTheLimit(@TempDir Path dir) throws Exception {
        // A pipe reports size 0, like a file that grows after its size was read.
        Path fifo = dir.resolve("fifo");
        int made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assumeThat(made).as("mkfifo").isZero();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(new byte[100]);
            } catch (IOException readerClosedFirst) {
                // the reader stops at the limit and closes its end
            }
        });
        assertThatThrownBy(() -> FileSizeLimit.readBytes(fifo, 50)).isInstanceOf(FileSizeLimit.TooLarge.class)
                .hasMessageStartingWith("more than 50 bytes, larger than the limit of 50 bytes");
        writer.join();
    }

    @Test
    void textIsStrictUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("f.json");
        Files.write(file, "{\"é\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(FileSizeLimit.readUtf8(file, 100)).isEqualTo("{\"é\": 1}");
        Files.write(file, new byte[] {'{', (byte) 0xC3, '}'});
        assertThatThrownBy(() -> FileSizeLimit.readUtf8(file, 100)).isInstanceOf(MalformedInputException.class);
    }

    @Test
    void aModelJsonOverTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        // Sparse: the size is on record, no byte is written or read.
        sparse(dir.resolve(ModelDescription.FILE), FileSizeLimit.DESCRIPTION_BYTES + 1);
        assertThatThrownBy(() -> ModelDescription.read(dir)).isInstanceOf(ModelFileException.class)
                .hasMessage(dir.resolve("model.json") + ": " + (FileSizeLimit.DESCRIPTION_BYTES + 1)
                        + " bytes, larger than the limit of 512 MiB for this kind of file");
    }

    @Test
    void aCheckpointDescriptionOverTheLimitIsRefused(@TempDir Path dir) throws IOException {
        sparse(dir.resolve(CheckpointFiles.DESCRIPTION), FileSizeLimit.DESCRIPTION_BYTES + 1);
        assertThatThrownBy(() -> CheckpointFiles.load(dir)).isInstanceOf(ModelFileException.class)
                .hasMessageStartingWith(dir.resolve("checkpoint.json") + ": ")
                .hasMessageContaining("larger than the limit of 512 MiB");
    }

    static void sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}
