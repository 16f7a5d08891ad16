package org.embedrec.data.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A shop's data with planted structure, for learning tests and the example: users with a
 * country and an age band, items with a category, a price and tags, and interactions with a
 * context column (the device). A user of country {@code k} on device {@code d} buys from
 * category {@code (k + 2d) mod categories} with probability {@code affinity}, otherwise from a
 * random category; within a category, lower-numbered items are more popular. So the country
 * and the device together tell the category, neither alone does, and a model that reads both
 * retrieves far above chance.
 *
 * <p>Files (CSV with a header, comma-separated): {@code interactions.csv}
 * ({@code user_id,item_id,device,rating,timestamp,shown}; the rating is 4 or 5 for a purchase
 * from the planted category, 1 or 2 otherwise; {@code shown} lists two items of another category
 * shown beside it and not bought, {@code |}-separated, as hard negatives), {@code items.csv}
 * ({@code item_id,category,price,tags}) and {@code users.csv} ({@code user_id,country,age_band}).
 * One seed gives the same files.
 */
public final class SyntheticShop {
    public static final String[] DEVICES = {"phone", "tv"};

    /** Sizes and the planted signal's strength. */
    public record Config(int users, int items, int categories, int countries, int interactions, double affinity,
                         long seed) {
        public Config {
            if (users < 1 || items < categories || categories < 2 || countries < 1 || interactions < 1
                    || !(affinity >= 0 && affinity <= 1)) {
                throw new IllegalArgumentException("synthetic shop: users " + users + ", items " + items
                        + ", categories " + categories + ", countries " + countries + ", interactions " + interactions
                        + ", affinity " + affinity + "; expected users, countries, interactions >= 1, "
                        + "2 <= categories <= items, 0 <= affinity <= 1");
            }
        }

        /** A small shop: 400 users, 250 items in 5 categories, 5 countries, 20,000 interactions. */
        public static Config small(long seed) {
            return new Config(400, 250, 5, 5, 20_000, 0.9, seed);
        }
    }

    private SyntheticShop() {
    }

    /** The category of item {@code item} (items are dealt to categories in turn). */
    public static int category(int item, Config config) {
        return item % config.categories();
    }

    /** The country of user {@code user}. */
    public static int country(int user, Config config) {
        return user % config.countries();
    }

    /** The planted category of a user of country {@code country} on device {@code device}. */
    public static int plantedCategory(int country, int device, Config config) {
        return (country + 2 * device) % config.categories();
    }

    /** Writes the three files into {@code dir} (created if absent). */
    public static void write(Path dir, Config config) {
        try {
            Files.createDirectories(dir);
            Random rng = new Random(config.seed());
            writeItems(dir.resolve("items.csv"), config, rng);
            writeUsers(dir.resolve("users.csv"), config);
            writeInteractions(dir.resolve("interactions.csv"), config, rng, new Random(config.seed() + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic shop into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeItems(Path file, Config c, Random rng) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("item_id,category,price,tags\n");
            for (int i = 0; i < c.items(); i++) {
                int cat = category(i, c);
                double price = (cat + 1) * 10 + rng.nextInt(1000) / 100.0;
                String tags = "c" + cat + "|" + (i % 2 == 0 ? "even" : "odd") + (rng.nextBoolean() ? "|sale" : "");
                w.write(itemId(i) + ",cat" + cat + "," + String.format(Locale.ROOT, "%.2f", price) + "," + tags + "\n");
            }
        }
    }

    private static void writeUsers(Path file, Config c) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("user_id,country,age_band\n");
            for (int u = 0; u < c.users(); u++) {
                w.write(userId(u) + ",country" + country(u, c) + "," + (18 + 10 * (u / c.countries() % 5)) + "\n");
            }
        }
    }

    private static void writeInteractions(Path file, Config c, Random rng, Random shownRng) throws IOException {
        int perCategory = (c.items() + c.categories() - 1) / c.categories();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("user_id,item_id,device,rating,timestamp,shown\n");
            for (int r = 0; r < c.interactions(); r++) {
                int user = rng.nextInt(c.users());
                int device = rng.nextInt(DEVICES.length);
                boolean planted = rng.nextDouble() < c.affinity();
                int cat = planted ? plantedCategory(country(user, c), device, c) : rng.nextInt(c.categories());
                int item;
                do {
                    // The lower of two uniform draws: popularity falls linearly with the rank in the category.
                    int rank = Math.min(rng.nextInt(perCategory), rng.nextInt(perCategory));
                    item = rank * c.categories() + cat;
                } while (item >= c.items());
                int rating = (planted ? 4 : 1) + rng.nextInt(2);
                // Drawn from their own stream, so the purchases are those of the files without them.
                int other = (cat + 1 + shownRng.nextInt(c.categories() - 1)) % c.categories();
                int inOther = (c.items() - other + c.categories() - 1) / c.categories();
                String shown = itemId(shownRng.nextInt(inOther) * c.categories() + other);
                String shown2 = itemId(shownRng.nextInt(inOther) * c.categories() + other);
                w.write(userId(user) + "," + itemId(item) + "," + DEVICES[device] + "," + rating + ","
                        + (1_700_000_000L + r * 60L) + "," + shown + "|" + shown2 + "\n");
            }
        }
    }

    public static String userId(int user) {
        return "u" + user;
    }

    public static String itemId(int item) {
        return "i" + item;
    }
}
