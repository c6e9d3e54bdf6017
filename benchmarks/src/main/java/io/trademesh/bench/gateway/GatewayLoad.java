package io.trademesh.bench.gateway;

import io.trademesh.bench.ProcessStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Signed orders through the gateway, as a trader's program sends them: place a limit
 * order away from the market (it rests) and cancel it, over keep-alive HTTP or over one
 * WebSocket per slot. Closed loop ({@code --inflight}) for throughput, or open loop
 * ({@code --rate}, orders/s) for latency at a given load, timed from the intended send.
 * Reports orders/s (a place or a cancel is one order command) and HdrHistogram latency.
 *
 * <pre>
 *   RATE_LIMIT_ORDERS_PER_SECOND=1000000 ./mesh start
 *   java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.gateway.GatewayLoad --inflight 64
 *   java -cp benchmarks/target/benchmarks.jar io.trademesh.bench.gateway.GatewayLoad --rate 2000 --ws
 * </pre>
 * The key comes from {@code run/secrets/demo.env} (the demo account must have USDT in spot).
 */
@Command(name = "gateway-load", mixinStandardHelpOptions = true,
        description = "Signed place+cancel load through the api-gateway (HTTP or WebSocket).")
public final class GatewayLoad implements Callable<Integer> {

    @Option(names = "--gateway", description = "Gateway host:port (default ${DEFAULT-VALUE}).")
    String gateway = "127.0.0.1:8080";

    @Option(names = "--demo-env", description = "File with DEMO_API_KEY and DEMO_API_SECRET (default ${DEFAULT-VALUE}).")
    Path demoEnv = Path.of("run/secrets/demo.env");

    @Option(names = "--progress", description = "Print each second's count, errors and latency to stderr.")
    boolean progress;

    @Option(names = "--market", description = "Market (default ${DEFAULT-VALUE}).")
    String market = "BTC-USDT";

    @Option(names = "--price", description = "Bid price, far below the market so orders rest (default ${DEFAULT-VALUE}).")
    String price = "1000";

    @Option(names = "--quantity", description = "Order quantity (default ${DEFAULT-VALUE}).")
    String quantity = "0.001";

    @Option(names = "--inflight", description = "Closed loop: concurrent place/cancel loops (default ${DEFAULT-VALUE}).")
    int inflight = 32;

    @Option(names = "--rate", description = "Open loop: order commands per second (0 = closed loop).")
    int rate;

    @Option(names = "--ws", description = "Send over WebSocket instead of HTTP.")
    boolean ws;

    @Option(names = "--batch", description = "Orders per HTTP request, through /v1/orders/batch (default"
            + " ${DEFAULT-VALUE}: one order per request); HTTP only.")
    int batch = 1;

    @Option(names = "--sockets", description = "WebSockets to spread requests over (default ${DEFAULT-VALUE}); each is"
            + " logged in, and every socket of an account receives all its private events.")
    int socketCount = 2;

    @Option(names = "--warmup", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 10;

    @Option(names = "--pid-dir", description = "Directory of the mesh's pid files (e.g. run/pids): report the CPU"
            + " each process and this tool used per order command, and the throughput floor it implies.")
    Path pidDir;

    @Option(names = "--seconds", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds = 15;

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(30), 3);
    private final LongAdder done = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicBoolean firstErrorShown = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private String apiKey;
    private Mac mac;
    private HttpClientAgent http;
    private String host;
    private int port;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayLoad()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || batch > 20 || batch > 1 && ws) {
            System.err.println("--batch is 1 to 20, and more than 1 only over HTTP");
            return 2;
        }
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(demoEnv)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                env.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        apiKey = env.get("DEMO_API_KEY");
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(env.get("DEMO_API_SECRET").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        host = gateway.substring(0, gateway.indexOf(':'));
        port = Integer.parseInt(gateway.substring(gateway.indexOf(':') + 1));
        Vertx vertx = Vertx.vertx();
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost(host)
                .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(Math.max(inflight, 64)));
        try {
            Sender sender = ws ? new WsSender(vertx) : new HttpSender();
            if (ws) {
                ((WsSender) sender).connect(socketCount).toCompletionStage()
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            if (rate > 0) {
                openLoop(vertx, sender);
            } else {
                for (int i = 0; i < inflight; i++) {
                    vertx.runOnContext(v -> {
                        if (batch > 1) {
                            batchLoop();
                        } else {
                            loop(sender);
                        }
                    });
                }
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
            latency.getIntervalHistogram();
            Map<String, String> pids = new java.util.TreeMap<>();
            if (pidDir != null) {
                pids.putAll(ProcessStats.pids(pidDir));
            }
            pids.put("load tool", "self");
            Map<String, Long> cpuBefore = ProcessStats.cpuMs(pids);
            Map<String, ProcessStats.Scheduling> schedBefore = ProcessStats.scheduling(pids);
            long before = done.sum();
            long errorsBefore = errors.sum();
            long t0 = System.nanoTime();
            org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            for (int s = 1; s <= seconds; s++) {   // a line a second shows when a stall happened
                long doneBefore = done.sum();
                long errorsAtStart = errors.sum();
                Thread.sleep(1_000);
                var second = latency.getIntervalHistogram();
                h.add(second);
                if (progress) {
                    System.err.printf("  %2d s: %6d done, %5d errors, p99 %8.3f ms, max %8.3f ms%n", s,
                            done.sum() - doneBefore, errors.sum() - errorsAtStart,
                            second.getValueAtPercentile(99) / 1e6, second.getMaxValue() / 1e6);
                }
            }
            long n = done.sum() - before;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            running.set(false);
            System.out.printf("%s, %s: %.0f order commands/s (place+cancel); latency p50 %.3f ms, p99 %.3f ms,"
                            + " p99.9 %.3f ms; errors %d%n", ws ? "WebSocket" : "HTTP keep-alive",
                    (rate > 0 ? "open loop at " + rate + "/s" : inflight + " in flight")
                            + (batch > 1 ? ", " + batch + " orders per request (latency per request)" : ""), n / elapsed,
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    h.getValueAtPercentile(99.9) / 1e6, errors.sum() - errorsBefore);
            if (pidDir != null) {
                cpuReport(pids, cpuBefore, ProcessStats.cpuMs(pids), schedBefore, ProcessStats.scheduling(pids), n,
                        elapsed);
            }
            Thread.sleep(500);
            if (n == 0) {
                System.err.println("no order command succeeded: the figures above measure nothing");
                return 1;
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        return 0;
    }

    /**
     * CPU per order command by process over the measured window, and the throughput that
     * implies if the machine's cores did nothing but this: cores / (CPU per command). Beside
     * it, how often the process's threads were woken per command and how long a second they
     * waited for a core: on a busy machine each wake-up is a wait, and the waits are latency.
     */
    private static void cpuReport(Map<String, String> pids, Map<String, Long> before, Map<String, Long> after,
                                  Map<String, ProcessStats.Scheduling> schedBefore,
                                  Map<String, ProcessStats.Scheduling> schedAfter, long commands, double elapsed) {
        int cores = Runtime.getRuntime().availableProcessors();
        double total = 0;
        double wakeUps = 0;
        double waitMsPerS = 0;
        StringBuilder lines = new StringBuilder();
        for (String name : pids.keySet()) {
            long ms = after.get(name) - before.get(name);
            double perCommandUs = commands == 0 ? 0 : ms * 1_000.0 / commands;
            double wakes = commands == 0 ? 0
                    : (schedAfter.get(name).slices() - schedBefore.get(name).slices()) / (double) commands;
            double waited = (schedAfter.get(name).waitNanos() - schedBefore.get(name).waitNanos()) / 1e6 / elapsed;
            total += perCommandUs;
            wakeUps += wakes;
            waitMsPerS += waited;
            lines.append(String.format("  %-20s %7.1f us CPU per command  (%5.0f%% of a core), %5.2f wake-ups per"
                    + " command, waited %6.0f ms/s for a core%n", name, perCommandUs, ms / 10.0 / elapsed, wakes, waited));
        }
        System.out.print(lines);
        System.out.printf("  %-20s %7.1f us CPU per command: at most %.0f commands/s on %d cores; %.2f wake-ups per"
                + " command, %.0f ms/s waiting for a core%n", "all", total, total == 0 ? 0 : cores * 1e6 / total, cores,
                wakeUps, waitMsPerS);
    }

    private synchronized String sign(String payload) {
        byte[] d = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        StringBuilder hex = new StringBuilder(64);
        for (byte b : d) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** Sends one place or one cancel; completes with the order id placed (or cancelled). */
    private interface Sender {
        Future<String> place();

        Future<String> cancel(String orderId);
    }

    private void loop(Sender sender) {
        if (!running.get()) {
            return;
        }
        long t0 = System.nanoTime();
        sender.place().compose(id -> {
            record(t0);
            long t1 = System.nanoTime();
            return sender.cancel(id).onSuccess(v -> record(t1));
        }).onComplete(ar -> {
            if (ar.failed()) {
                failed(ar.cause());
            }
            loop(sender);
        });
    }

    private void failed(Throwable cause) {
        errors.increment();
        if (firstErrorShown.compareAndSet(false, true)) {
            System.err.println("first error: " + cause.getMessage());
            if (String.valueOf(cause.getMessage()).contains("INSUFFICIENT_FUNDS")) {
                System.err.println("  the demo account's SPOT wallet cannot pay for the orders in flight: move funds"
                        + " from FUNDING first, as README.md's \"Five minutes with the demo\" does (POST /v1/transfers)");
            }
        }
    }

    /**
     * Each tick issues its share of the rate: half places, half cancels of what was placed.
     * The rate ramps up over the warm-up, from a tenth to all of it: starting cold at full rate
     * queues seconds of work before connections and JIT are ready, and that backlog would
     * still be draining when measuring starts.
     */
    private void openLoop(Vertx vertx, Sender sender) {
        long fullIntervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, rate / (2L * batch));
        long start = System.nanoTime();
        long rampNanos = TimeUnit.SECONDS.toNanos(Math.max(1, warmupSeconds - 1));
        AtomicLong next = new AtomicLong(start);
        vertx.setPeriodic(1, id -> {
            if (!running.get()) {
                vertx.cancelTimer(id);
                return;
            }
            long now = System.nanoTime();
            double share = Math.min(1.0, 0.1 + 0.9 * (now - start) / (double) rampNanos);
            long intervalNanos = (long) (fullIntervalNanos / share);
            while (next.get() <= now) {
                long intended = next.getAndAdd(intervalNanos);
                if (batch > 1) {
                    placeAndCancelBatch(intended).onFailure(this::failed);
                    continue;
                }
                sender.place().compose(orderId -> {
                    record(intended);
                    long t1 = System.nanoTime();
                    return sender.cancel(orderId).onSuccess(v -> record(t1));
                }).onFailure(this::failed);
            }
        });
    }

    /** Closed loop: a batch placed, then cancelled, then the next. */
    private void batchLoop() {
        if (running.get()) {
            placeAndCancelBatch(System.nanoTime()).onComplete(ar -> {
                if (ar.failed()) {
                    failed(ar.cause());
                }
                batchLoop();
            });
        }
    }

    /**
     * Places {@code batch} orders in one request, then cancels them in one request; the
     * placing is timed from {@code startNanos} (the intended send, in the open loop).
     */
    private Future<?> placeAndCancelBatch(long startNanos) {
        JsonArray orders = new JsonArray();
        for (int i = 0; i < batch; i++) {
            orders.add(new JsonObject(orderBody()));
        }
        return httpSend(HttpMethod.POST, "/v1/orders/batch", "", new JsonObject().put("orders", orders).encode())
                .compose(placed -> {
                    List<String> ids = new ArrayList<>();
                    for (Object o : placed.toJsonArray()) {
                        String id = ((JsonObject) o).getString("orderId");
                        if (id != null) {
                            ids.add(id);
                        } else {
                            failed(new IllegalStateException(((JsonObject) o).encode()));
                        }
                    }
                    record(startNanos, ids.size());
                    long t1 = System.nanoTime();
                    return ids.isEmpty() ? Future.succeededFuture() : httpSend(HttpMethod.DELETE, "/v1/orders/batch",
                            "market=" + market + "&orderIds=" + String.join(",", ids), null)
                            .onSuccess(b -> record(t1, b.toJsonArray().size()));
                });
    }

    private final AtomicLong nonces = new AtomicLong();

    /** A signed request; the body of a 200, or a failure with the status and body. */
    private Future<Buffer> httpSend(HttpMethod method, String path, String query, String body) {
        // A signature is good once: identical requests signed in the same millisecond differ by their nonce.
        String q = (query.isEmpty() ? "" : query + "&") + "timestamp=" + System.currentTimeMillis() + "&nonce="
                + nonces.incrementAndGet();
        // What the gateway verifies: method, path, query without signature, body, one per line.
        String signature = sign(method.name() + "\n" + path + "\n" + q + "\n" + (body == null ? "" : body));
        RequestOptions options = new RequestOptions().setMethod(method).setURI(path + "?" + q + "&signature="
                + signature).putHeader("X-API-KEY", apiKey).putHeader("content-type", "application/json");
        return http.request(options)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().compose(b -> resp.statusCode() == 200 ? Future.succeededFuture(b)
                        : Future.failedFuture(resp.statusCode() + " " + b)));
    }

    private void record(long startNanos, int commands) {
        latency.recordValue(Math.min(System.nanoTime() - startNanos, TimeUnit.SECONDS.toNanos(30)));
        done.add(commands);
    }

    private void record(long startNanos) {
        latency.recordValue(Math.min(System.nanoTime() - startNanos, TimeUnit.SECONDS.toNanos(30)));
        done.increment();
    }

    private String orderBody() {
        return new JsonObject().put("market", market).put("side", "BUY").put("type", "LIMIT")
                .put("price", price).put("quantity", quantity).encode();
    }

    private final class HttpSender implements Sender {
        private Future<JsonObject> send(HttpMethod method, String path, String query, String body) {
            return httpSend(method, path, query, body).map(Buffer::toJsonObject);
        }

        @Override
        public Future<String> place() {
            return send(HttpMethod.POST, "/v1/orders", "", orderBody()).map(j -> j.getString("orderId"));
        }

        @Override
        public Future<String> cancel(String orderId) {
            return send(HttpMethod.DELETE, "/v1/orders/" + orderId, "market=" + market, null)
                    .map(j -> j.getString("orderId"));
        }
    }

    /** Order entry over WebSockets (the JDK's client), requests matched to replies by id. */
    private final class WsSender implements Sender {
        private final java.net.http.WebSocket[] sockets;
        @SuppressWarnings("unchecked")
        private final java.util.concurrent.CompletableFuture<java.net.http.WebSocket>[] sends =
                new java.util.concurrent.CompletableFuture[64];
        private final Map<String, io.vertx.core.Promise<JsonObject>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();

        WsSender(Vertx vertx) {
            this.sockets = new java.net.http.WebSocket[Math.max(1, Math.min(socketCount, 64))];
        }

        Future<Void> connect(int n) throws Exception {
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < n; i++) {
                StringBuilder partial = new StringBuilder();
                io.vertx.core.Promise<JsonObject> hello = io.vertx.core.Promise.promise();
                pending.put("hello", hello);
                java.net.http.WebSocket socket = client.newWebSocketBuilder().buildAsync(
                        java.net.URI.create("ws://" + gateway + "/v1/ws"), new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws,
                                                                                  CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    onMessage(partial.toString());
                                    partial.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        }).get(10, TimeUnit.SECONDS);
                sockets[i] = socket;
                sends[i] = java.util.concurrent.CompletableFuture.completedFuture(socket);
                // The login signs the nonce the socket was greeted with.
                String nonce = hello.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                        .getString("nonce");
                long ts = System.currentTimeMillis();
                io.vertx.core.Promise<JsonObject> login = io.vertx.core.Promise.promise();
                pending.put("login", login);
                socket.sendText(new JsonObject().put("op", "login").put("apiKey", apiKey).put("timestamp", ts)
                        .put("signature", sign("login\n" + nonce + "\n" + ts)).encode(), true).join();
                login.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            return Future.succeededFuture();
        }

        private void onMessage(String text) {
            JsonObject m = new JsonObject(text);
            String op = m.getString("op");
            Object id = "login".equals(op) || "hello".equals(op) ? op : m.getValue("id");
            if (id == null) {
                return;
            }
            io.vertx.core.Promise<JsonObject> p = pending.remove(id.toString());
            if (p != null) {
                if (m.containsKey("result") || "login".equals(id) || "hello".equals(id)) {
                    p.complete(m.containsKey("result") ? m.getJsonObject("result") : m);
                } else {
                    p.fail(String.valueOf(m.getValue("error")));
                }
            }
        }

        private Future<JsonObject> request(JsonObject msg) {
            long n = ids.incrementAndGet();
            String id = Long.toString(n);
            io.vertx.core.Promise<JsonObject> p = io.vertx.core.Promise.promise();
            pending.put(id, p);
            int slot = (int) (n % sockets.length);
            String text = msg.put("id", id).encode();
            // The JDK socket takes one send at a time: chain them instead of blocking the event loop.
            synchronized (sends) {
                sends[slot] = sends[slot].thenCompose(ws -> ws.sendText(text, true));
            }
            return p.future();
        }

        @Override
        public Future<String> place() {
            return request(new JsonObject(orderBody()).put("op", "order")).map(j -> j.getString("orderId"));
        }

        @Override
        public Future<String> cancel(String orderId) {
            return request(new JsonObject().put("op", "cancel").put("market", market).put("orderId", orderId))
                    .map(j -> j.getString("orderId"));
        }
    }
}
