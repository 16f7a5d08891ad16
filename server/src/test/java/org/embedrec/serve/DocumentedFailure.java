package org.embedrec.serve;

/**
 * The rule of the fuzz targets, as recsys's {@code org.embedrec.DocumentedFailure} (a test class
 * there, so not on this module's class path): given any input, a reader either reads it or fails
 * with its documented exception carrying a message; anything else is a finding.
 */
final class DocumentedFailure {
    private DocumentedFailure() {
    }

    @FunctionalInterface
    interface Load {
        void run() throws Exception;
    }

    @SafeVarargs
    static void loadsOrFailsWith(Load load, Class<? extends Exception>... documented) throws Exception {
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
