package org.embedrec.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrow between tasks and models points one way, as in TensorFlow Recommenders: a model owns
 * its tasks, and a task computes a loss from tensors and knows no model. Read from the sources
 * (the build runs tests from the module's directory), since a fully qualified name in code or a
 * {@code @link} would slip past a look at the compiled classes' imports too.
 */
class TasksImportNoModelsTest {
    private static final Path TASKS = Path.of("src", "main", "java", "org", "embedrec", "tasks");
    private static final Pattern MODELS = Pattern.compile("\\borg\\.embedrec\\.models\\b");

    @Test
    void noTaskSourceNamesTheModelsPackage() throws IOException {
        assertThat(TASKS).as("the tasks sources, relative to the recsys module").isDirectory();
        List<Path> sources;
        try (Stream<Path> files = Files.list(TASKS)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(sources).as("task sources").isNotEmpty();
        List<String> offences = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = MODELS.matcher(lines.get(i));
                if (m.find()) {
                    offences.add(source.getFileName() + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertThat(offences).as("lines in org.embedrec.tasks that name org.embedrec.models").isEmpty();
    }
}
