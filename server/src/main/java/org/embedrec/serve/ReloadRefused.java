package org.embedrec.serve;

/** A new model directory that did not load: the old model keeps serving; the message says why. */
final class ReloadRefused extends Exception {
    ReloadRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
