package org.embedrec.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop HTTP load generator for {@code embedrec serve} over loopback: {@code connections}
 * keep-alive connections, each a thread that sends a request, reads the whole answer and sends the
 * next, until {@code seconds} pass or {@code requests} are answered, whichever is first. Latency is
 * recorded in an HdrHistogram from send to the answer's last byte (closed loop: no coordinated
 * omission correction, so p99 is the latency clients saw at that throughput). A first
 * {@code warmup} seconds are run and discarded. Optionally {@code reloads} hot reloads are spread
 * evenly over the run (POST /admin/models/NAME/reload with the token), and every answer that is
 * not a 200 counts as a failure. With {@code --server-pid}, the server's CPU time over the measured
 * run is read from /proc, so the report says how many cores it used and its CPU per request.
 *
 * <p>Requests are GETs from {@link #paths}: known users' top-10 excluding seen by default. The
 * client is a plain socket writing fixed request bytes and reading Content-Length bodies, so it
 * costs little of the two cores it shares with the server.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar org.embedrec.bench.ServeLoad --port 8080 --connections 32 \
 *     --seconds 30 --warmup 10 [--requests N] [--path-template '/recommend?user={user}&k=10&exclude_seen=true']
 *     [--reloads 10 --token T --model default] [--server-pid PID]
 * </pre>
 */
public final class ServeLoad {
    private final String host = "127.0.0.1";
    private int port = 8080;
    private int connections = 32;
    private double seconds = 30;
    private double warmup = 10;
    private long requests = Long.MAX_VALUE;
    private String template = "/recommend?user={user}&k=10&exclude_seen=true";
    private int reloads;
    private String token;
    private String model = "default";
    private long serverPid = -1;

    public static void main(String[] args) throws Exception {
        ServeLoad load = new ServeLoad();
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> load.port = Integer.parseInt(value);
                case "--connections" -> load.connections = Integer.parseInt(value);
                case "--seconds" -> load.seconds = Double.parseDouble(value);
                case "--warmup" -> load.warmup = Double.parseDouble(value);
                case "--requests" -> load.requests = Long.parseLong(value);
                case "--path-template" -> load.template = value;
                case "--reloads" -> load.reloads = Integer.parseInt(value);
                case "--token" -> load.token = value;
                case "--model" -> load.model = value;
                case "--server-pid" -> load.serverPid = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        load.run();
    }

    private void run() throws Exception {
        List<String> users = users();
        IntFunction<String> paths = i -> template.replace("{user}", users.get(Math.floorMod(i, users.size())))
                .replace("{item}", "i" + Math.floorMod(i * 7919, 1_000_000));
        System.out.printf(Locale.ROOT, "load: %d connections, %s users, template %s%n", connections, users.size(),
                template);
        if (warmup > 0) {
            phase(paths, warmup, Long.MAX_VALUE, 0, false);
        }
        phase(paths, seconds, requests, reloads, true);
    }

    /** The known users' ids, from the server's /users. */
    private List<String> users() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://" + host + ":" + port;
        String body = http.send(HttpRequest.newBuilder(URI.create(base + "/users?limit=10000")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> out = new ArrayList<>();
        int at = body.indexOf("\"users\"");
        for (int i = body.indexOf('[', at) + 1; i < body.length(); ) {
            int open = body.indexOf('"', i);
            if (open < 0 || body.lastIndexOf(']') < open) {
                break;
            }
            int close = body.indexOf('"', open + 1);
            out.add(java.net.URLEncoder.encode(body.substring(open + 1, close), StandardCharsets.UTF_8));
            i = close + 1;
        }
        if (out.isEmpty()) {
            out.add("nobody");
        }
        return out;
    }

    private void phase(IntFunction<String> paths, double secs, long maxRequests, int reloadCount, boolean report)
            throws Exception {
        Recorder recorder = new Recorder(3_600_000_000L, 3);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        String loadBefore = loadAverage();
        long cpuBefore = serverCpuTicks();
        long start = System.nanoTime();
        long end = start + (long) (secs * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Thread t = new Thread(() -> {
                try {
                    drive(connection, paths, end, maxRequests, sent, failed, recorder);
                } catch (IOException e) {
                    failed.incrementAndGet();
                    System.err.println("connection " + connection + ": " + e);
                }
            }, "load-" + c);
            t.start();
            threads.add(t);
        }
        int reloadFailures = 0;
        List<String> reloadAnswers = new ArrayList<>();
        if (reloadCount > 0) {
            HttpClient http = HttpClient.newHttpClient();
            for (int r = 1; r <= reloadCount; r++) {
                long at = start + (long) (secs * 1e9 * r / (reloadCount + 1));
                Thread.sleep(Math.max(0, (at - System.nanoTime()) / 1_000_000));
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create("http://" + host + ":" + port + "/admin/models/" + model + "/reload"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    reloadFailures++;
                }
                reloadAnswers.add(answer.statusCode() + " " + answer.body());
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpuAfter = serverCpuTicks();
        Histogram h = recorder.getIntervalHistogram();
        if (!report) {
            return;
        }
        System.out.printf(Locale.ROOT, "requests %d in %.1f s: %.0f req/s; failed %d%n", h.getTotalCount(), elapsed,
                h.getTotalCount() / elapsed, failed.get());
        System.out.printf(Locale.ROOT, "latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f%n",
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
        System.out.printf(Locale.ROOT, "load average before %s, after %s%n", loadBefore, loadAverage());
        if (cpuBefore >= 0 && cpuAfter >= 0) {
            double cpuSeconds = (cpuAfter - cpuBefore) / (double) CLOCK_TICKS;
            System.out.printf(Locale.ROOT, "server pid %d: %.1f CPU s, %.2f cores, %.1f CPU us per request%n", serverPid,
                    cpuSeconds, cpuSeconds / elapsed, cpuSeconds * 1e6 / Math.max(1, h.getTotalCount()));
        }
        if (reloadCount > 0) {
            System.out.printf(Locale.ROOT, "reloads %d, refused or failed %d%n", reloadCount, reloadFailures);
            reloadAnswers.forEach(a -> System.out.println("  reload: " + a));
        }
    }

    /** Linux's USER_HZ, the unit of /proc/PID/stat's times: 100 on every mainstream configuration. */
    private static final int CLOCK_TICKS = 100;

    /** The server's user plus system CPU time in clock ticks from /proc (Linux), or -1 without a pid or /proc. */
    private long serverCpuTicks() {
        if (serverPid < 0) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(serverPid), "stat"));
            // Fields after the parenthesised command name (which may hold spaces): state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            System.err.println("server pid " + serverPid + ": no CPU time (" + e + ")");
            return -1;
        }
    }

    /** The 1, 5 and 15 minute load averages (Linux), to print beside every figure on a shared machine. */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** One connection's closed loop. */
    private void drive(int connection, IntFunction<String> paths, long end, long maxRequests, AtomicLong sent,
                       AtomicLong failed, Recorder recorder) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            int i = connection * 7_919;
            while (System.nanoTime() < end && sent.getAndIncrement() < maxRequests) {
                byte[] request = ("GET " + paths.apply(i++) + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                int status = readResponse(in);
                recorder.recordValue(Math.max(1, System.nanoTime() - t0));
                if (status != 200) {
                    failed.incrementAndGet();
                }
            }
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        long length = -1;
        boolean chunked = false;
        while (true) {
            line.setLength(0);
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            if (line.length() == 0) {
                break;
            }
            String header = line.toString();
            if (status < 0) {
                status = Integer.parseInt(header.substring(9, 12));
            } else if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (header.regionMatches(true, 0, "transfer-encoding:", 0, 18)) {
                chunked = header.toLowerCase(Locale.ROOT).contains("chunked");
            }
        }
        if (chunked) {
            while (true) {
                line.setLength(0);
                int b;
                while ((b = in.read()) != '\n') {
                    if (b < 0) {
                        throw new IOException("connection closed in a chunk");
                    }
                    if (b != '\r') {
                        line.append((char) b);
                    }
                }
                long size = Long.parseLong(line.toString().trim(), 16);
                in.skipNBytes(size + 2);
                if (size == 0) {
                    break;
                }
            }
        } else if (length > 0) {
            in.skipNBytes(length);
        }
        return status;
    }
}
