package org.embedrec;

/**
 * The rule every fuzz target checks: a reader given any bytes either loads them or fails with
 * the exception its documentation names, carrying a message a person can act on. Anything
 * else (an index out of bounds, a number format, a null pointer, a class cast, an exhausted
 * heap or stack) is a bug, and propagates to Jazzer as a finding.
 */
public final class DocumentedFailure {
    private DocumentedFailure() {
    }

    /** A reader that may throw anything. */
    @FunctionalInterface
    public interface Load {
        void run() throws Exception;
    }

    /**
     * Runs {@code load}; an exception of a {@code documented} type passes when its message is not
     * blank, every other throwable is rethrown unchanged.
     */
    @SafeVarargs
    public static void loadsOrFailsWith(Load load, Class<? extends Exception>... documented) throws Exception {
        try {
            load.run();
        } catch (Exception e) {
            for (Class<? extends Exception> type : documented) {
                if (type.isInstance(e)) {
                    if (e.getMessage() == null || e.getMessage().isBlank()) {
                        throw new AssertionError(type.getSimpleName() + " without a message", e);
                    }
                    return;
                }
            }
            throw e;
        }
    }
}
