package org.embedrec.io;

/** A saved model that cannot be read: damaged, foreign, or from an incompatible version. */
public final class ModelFileException extends IllegalArgumentException {
    public ModelFileException(String message) {
        super(message);
    }
}
