package org.embedrec.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.embedrec.data.synthetic.SyntheticShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example runs as the README shows it, and what it prints is what the shop's data plants. */
class ShopExampleTest {

    @Test
    void theExampleTrainsSavesLoadsAndRecommendsThePlantedCategory(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Double> metrics = ShopExample.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("MultiTaskModel: ").contains("held out: top-10 accuracy");
        // Chance is 10 / 250 items.
        assertThat(metrics.get("top_10_accuracy")).isGreaterThan(0.16);
        // Country 1 on a tv buys from category (1 + 2) mod 5 = 3: items i3, i8, i13, ...
        Matcher m = Pattern.compile("on a tv: (.*)").matcher(out);
        assertThat(m.find()).isTrue();
        SyntheticShop.Config config = SyntheticShop.Config.small(7);
        int planted = SyntheticShop.plantedCategory(1, 1, config);
        long inPlanted = 0;
        for (String id : m.group(1).trim().split(" ")) {
            if (SyntheticShop.category(Integer.parseInt(id.substring(1)), config) == planted) {
                inPlanted++;
            }
        }
        assertThat(inPlanted).isGreaterThanOrEqualTo(4);
    }
}
