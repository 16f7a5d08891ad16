package org.embedrec.experiment;

import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.movielens.MovieLens100k;
import org.embedrec.data.movielens.MovieLensReader;

/**
 * A split named by a short string, as given on a command line or in a configuration file:
 * {@code random:0.8} (seeded random, 80% train), {@code temporal:0.8} (earliest 80% train),
 * {@code leave-last-out} (each user's latest interaction to test) or {@code ml-100k:u1} (the
 * canonical MovieLens 100K split u1 ... u5, ua, ub). {@link #toString()} gives the string back.
 */
public sealed interface SplitSpec {
    String FORMS = "random:RATIO, temporal:RATIO (RATIO in (0, 1)), leave-last-out, or ml-100k:NAME (NAME one of "
            + String.join(", ", MovieLens100k.CANONICAL_SPLITS) + ")";

    /** Splits {@code data}; {@code seed} is used by the random split only. */
    Split apply(RatingsData data, long seed);

    /** Seeded random split, see {@link Split#random}. */
    record RandomRatio(double trainRatio) implements SplitSpec {
        public RandomRatio {
            checkRatio(trainRatio, "random");
        }

        @Override
        public Split apply(RatingsData data, long seed) {
            return Split.random(data.interactions(), trainRatio, seed);
        }

        @Override
        public String toString() {
            return "random:" + trainRatio;
        }
    }

    /** Global temporal split, see {@link Split#temporal}. */
    record Temporal(double trainRatio) implements SplitSpec {
        public Temporal {
            checkRatio(trainRatio, "temporal");
        }

        @Override
        public Split apply(RatingsData data, long seed) {
            return Split.temporal(data.interactions(), trainRatio);
        }

        @Override
        public String toString() {
            return "temporal:" + trainRatio;
        }
    }

    /** Per-user leave-last-out, see {@link Split#leaveLastOut}. */
    record LeaveLastOut() implements SplitSpec {
        @Override
        public Split apply(RatingsData data, long seed) {
            return Split.leaveLastOut(data.interactions());
        }

        @Override
        public String toString() {
            return "leave-last-out";
        }
    }

    /** A canonical MovieLens 100K split read from the data's directory, see {@link MovieLensReader#readCanonicalSplit}. */
    record Canonical(String name) implements SplitSpec {
        public Canonical {
            if (!MovieLens100k.CANONICAL_SPLITS.contains(name)) {
                throw new IllegalArgumentException("bad split spec 'ml-100k:" + name + "': expected a split name among "
                        + MovieLens100k.CANONICAL_SPLITS);
            }
        }

        @Override
        public Split apply(RatingsData data, long seed) {
            return MovieLensReader.readCanonicalSplit(data, name);
        }

        @Override
        public String toString() {
            return "ml-100k:" + name;
        }
    }

    /** Parses a spec, with an error that quotes it and lists the accepted forms. */
    static SplitSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty split spec: expected " + FORMS);
        }
        String s = spec.trim();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1).trim();
        switch (kind) {
            case "random", "temporal" -> {
                if (arg == null || arg.isEmpty()) {
                    throw new IllegalArgumentException("bad split spec '" + spec + "': expected " + kind
                            + ":RATIO with RATIO in (0, 1), e.g. " + kind + ":0.8");
                }
                double ratio;
                try {
                    ratio = Double.parseDouble(arg);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad split spec '" + spec + "': expected a number in (0, 1) after '"
                            + kind + ":', got '" + arg + "'");
                }
                if (!(ratio > 0 && ratio < 1)) {
                    throw new IllegalArgumentException("bad split spec '" + spec + "': the train ratio must be in (0, 1), got "
                            + arg);
                }
                return kind.equals("random") ? new RandomRatio(ratio) : new Temporal(ratio);
            }
            case "leave-last-out" -> {
                if (arg != null) {
                    throw new IllegalArgumentException("bad split spec '" + spec + "': leave-last-out takes no argument");
                }
                return new LeaveLastOut();
            }
            case "ml-100k" -> {
                if (arg == null || !MovieLens100k.CANONICAL_SPLITS.contains(arg)) {
                    throw new IllegalArgumentException("bad split spec '" + spec + "': expected ml-100k:NAME with NAME one of "
                            + String.join(", ", MovieLens100k.CANONICAL_SPLITS));
                }
                return new Canonical(arg);
            }
            default -> throw new IllegalArgumentException("bad split spec '" + spec + "': expected " + FORMS);
        }
    }

    private static void checkRatio(double ratio, String kind) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException(kind + " split: the train ratio must be in (0, 1), got " + ratio);
        }
    }
}
