package org.embedrec.nn.train;

/**
 * How {@link Trainer#fit} runs: epochs, batch size, whether to shuffle each epoch (with a
 * generator seeded from {@code seed}), how often to validate (every {@code validationFreq}
 * epochs, and always after the last), and an optional gradient clip by global norm (0: off).
 */
public record FitConfig(int epochs, int batchSize, boolean shuffle, long seed, int validationFreq, float clipNorm) {

    public FitConfig {
        require(epochs >= 1, "epochs", epochs, "at least 1");
        require(batchSize >= 1, "batchSize", batchSize, "at least 1");
        require(validationFreq >= 1, "validationFreq", validationFreq, "at least 1");
        if (!(clipNorm >= 0f) || Float.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm must be a finite number >= 0 (0 turns clipping off), got " + clipNorm);
        }
    }

    public static FitConfig of(int epochs, int batchSize) {
        return new FitConfig(epochs, batchSize, true, 42L, 1, 0f);
    }

    public FitConfig withSeed(long value) {
        return new FitConfig(epochs, batchSize, shuffle, value, validationFreq, clipNorm);
    }

    public FitConfig withShuffle(boolean value) {
        return new FitConfig(epochs, batchSize, value, seed, validationFreq, clipNorm);
    }

    public FitConfig withValidationFreq(int value) {
        return new FitConfig(epochs, batchSize, shuffle, seed, value, clipNorm);
    }

    public FitConfig withClipNorm(float value) {
        return new FitConfig(epochs, batchSize, shuffle, seed, validationFreq, value);
    }

    private static void require(boolean ok, String field, int value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(field + " must be " + expected + ", got " + value);
        }
    }
}
