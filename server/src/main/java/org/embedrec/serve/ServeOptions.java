package org.embedrec.serve;

/**
 * How a server runs.
 *
 * @param port the TCP port (0: any free port)
 * @param threads worker threads answering requests
 * @param maxQueue requests that may wait for a worker; one more is answered 503 at once
 * @param maxBodyBytes the largest request body; a larger one is answered 413
 * @param adminToken the bearer token of the admin endpoints, or null to turn them off
 */
public record ServeOptions(int port, int threads, int maxQueue, long maxBodyBytes, String adminToken) {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_QUEUE = 256;
    public static final long DEFAULT_MAX_BODY = 1 << 20;

    public ServeOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + ": expected 0 to 65535");
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads " + threads + ": expected 1 to 1024");
        }
        if (maxQueue < 0 || maxQueue > 1_000_000) {
            throw new IllegalArgumentException("--max-queue " + maxQueue + ": expected 0 to 1000000");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > (1L << 30)) {
            throw new IllegalArgumentException("--max-body " + maxBodyBytes + ": expected 1024 bytes to 1 GiB");
        }
        if (adminToken != null && adminToken.length() < 8) {
            throw new IllegalArgumentException("--admin-token: at least 8 characters");
        }
    }

    /** Port 8080, a worker per processor, a queue of 256, bodies up to 1 MiB, no admin endpoints. */
    public static ServeOptions defaults() {
        return new ServeOptions(DEFAULT_PORT, Runtime.getRuntime().availableProcessors(), DEFAULT_MAX_QUEUE,
                DEFAULT_MAX_BODY, null);
    }

    public ServeOptions withPort(int value) {
        return new ServeOptions(value, threads, maxQueue, maxBodyBytes, adminToken);
    }

    public ServeOptions withThreads(int value) {
        return new ServeOptions(port, value, maxQueue, maxBodyBytes, adminToken);
    }

    public ServeOptions withMaxQueue(int value) {
        return new ServeOptions(port, threads, value, maxBodyBytes, adminToken);
    }

    public ServeOptions withMaxBody(long value) {
        return new ServeOptions(port, threads, maxQueue, value, adminToken);
    }

    public ServeOptions withAdminToken(String value) {
        return new ServeOptions(port, threads, maxQueue, maxBodyBytes, value);
    }
}
