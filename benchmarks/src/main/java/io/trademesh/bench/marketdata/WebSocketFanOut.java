package io.trademesh.bench.marketdata;

import io.trademesh.bench.ProcessStats;
import io.trademesh.proto.common.Side;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.trading.CancelOrderRequest;
import io.trademesh.proto.trading.ListMarketsRequest;
import io.trademesh.proto.trading.OrderEntryGrpcClient;
import io.trademesh.proto.trading.OrderReply;
import io.trademesh.proto.trading.PlaceOrderRequest;
import io.trademesh.proto.wallet.WalletServiceGrpcClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Fan-out of the API gateway's public WebSocket channels (issue 14): {@code --clients} sockets on
 * {@code /v1/ws} (no login: public channels need none), each subscribed to the {@code book}
 * (and, with {@code --channels book,trades}, {@code trades}) channel of {@code --per-client} of
 * {@code --markets} spot markets, opened at {@code --ramp} a second over several Vert.x
 * WebSocket clients spread over the event loops and over {@code --source-ips} loopback source
 * addresses (127.0.1.x: the gateway weighs subscriptions per client address, 6,000 a minute by
 * default, {@code RATE_LIMIT_WEIGHT_PER_MINUTE}, a book subscription 5, so from one address the
 * subscriptions of all but the first 400 or so sockets a minute are refused). A driver with its
 * own event loop creates the markets {@code WSF-0..} through spot's gRPC admin API when missing
 * (with {@code --depth} resting levels a side), funds its accounts, then places resting bids on
 * random markets and cancels them ({@code --inflight} loops; each step a book change), or, in
 * {@code --trade-percent} of the rounds, sells into the bid instead (IOC: a trade and a book
 * change). Without {@code --rate} the loops go as fast as spot answers; with it they are paced
 * to that many changes a second, started evenly over one period so the changes do not come in
 * bursts. After the measured seconds the driver stops and the clients keep reading until a
 * quiet second ({@code --drain} at most): what they still receive is what was queued.
 *
 * <p>Reports, over the measured seconds: book changes (and trades) made per second, messages the
 * clients received per second, the share of what the subscriptions should have received
 * (changes x followers of their market; the rest was conflated by the gateway into a fresh
 * snapshot or dropped), snapshots beyond the first per subscription (resyncs), latency p50 /
 * p99 / p99.9 / max from the event's stamp (the owner's command time, ms) to its receipt (one
 * clock), sockets connected, refused and closed, the gateway's resync and slow-disconnect
 * counters (from its metrics), the gateway's RSS ({@code --pid-file}) and this JVM's RSS.
 *
 * <pre>
 *   MESH_HEAP=512m ./mesh start      (the default 192m gateway heap runs out before 10,000 sockets)
 *   java -Xmx1g -cp benchmarks/target/benchmarks.jar io.trademesh.bench.marketdata.WebSocketFanOut \
 *        --pid-file run/pids/api-gateway.pid [--clients 10000] [--seconds 20] [--rate 100]
 * </pre>
 */
@Command(name = "marketdata-ws-fan-out", mixinStandardHelpOptions = true,
        description = "Book changes fanned out to many WebSocket clients by the API gateway.")
public final class WebSocketFanOut implements Callable<Integer> {

    @Option(names = "--gateway", description = "API gateway host:port (default ${DEFAULT-VALUE}).")
    String gateway = "127.0.0.1:8080";

    @Option(names = "--metrics", description = "The gateway's metrics URL (default ${DEFAULT-VALUE}); '' for none.")
    String metricsUrl = "http://127.0.0.1:8090/metrics";

    @Option(names = "--spot", description = "spot-service gRPC host:port (default ${DEFAULT-VALUE}).")
    String spot = "127.0.0.1:9082";

    @Option(names = "--markets", description = "Busy markets (default ${DEFAULT-VALUE}).")
    int markets = 100;

    @Option(names = "--clients", description = "WebSockets (default ${DEFAULT-VALUE}).")
    int clients = 10_000;

    @Option(names = "--per-client", description = "Markets each socket follows (default ${DEFAULT-VALUE}).")
    int perClient = 3;

    @Option(names = "--channels", split = ",", description = "Channels per market followed: book, trades"
            + " (default ${DEFAULT-VALUE}).")
    List<String> channels = List.of("book");

    @Option(names = "--ramp", description = "Sockets opened a second (default ${DEFAULT-VALUE}).")
    int ramp = 400;

    @Option(names = "--source-ips", description = "Loopback source addresses the sockets come from, 127.0.1.1 on"
            + " (default ${DEFAULT-VALUE}; 0: the system's choice).")
    int sourceIps = 100;

    @Option(names = "--event-loops", description = "Client event loops (default ${DEFAULT-VALUE}).")
    int eventLoops = 2 * Runtime.getRuntime().availableProcessors();

    @Option(names = "--inflight", description = "Driver's orders in flight (default ${DEFAULT-VALUE}).")
    int inflight = 32;

    @Option(names = "--rate", description = "Book changes a second the driver aims at (0, the default: as fast as"
            + " --inflight allows).")
    int rate = 0;

    @Option(names = "--trade-percent", description = "Driver rounds that end in a trade instead of a cancel"
            + " (default ${DEFAULT-VALUE}).")
    int tradePercent = 0;

    @Option(names = "--depth", description = "Resting levels a side put on a market when it is created"
            + " (default ${DEFAULT-VALUE}).")
    int depth = 20;

    @Option(names = "--warmup", description = "Warm-up seconds after the ramp (default ${DEFAULT-VALUE}).")
    int warmupSeconds = 5;

    @Option(names = "--seconds", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int seconds = 20;

    @Option(names = "--drain", description = "Seconds at most to wait for queued messages after the run"
            + " (default ${DEFAULT-VALUE}).")
    int drainSeconds = 60;

    @Option(names = "--pid-file", description = "The gateway's pid file, for its RSS.")
    Path pidFile;

    private static final long BUYERS = 2_200_000;
    private static final long SELLERS = 2_300_000;
    private static final byte[] DELTA = "{\"channel\":\"book\",\"type\":\"delta\"".getBytes();
    private static final byte[] SNAPSHOT = "{\"channel\":\"book\",\"type\":\"snapshot\"".getBytes();
    private static final byte[] TRADES = "{\"channel\":\"trades\"".getBytes();
    private static final byte[] HELLO = "{\"op\":\"hello\"".getBytes();
    private static final byte[] SUBSCRIBED = "{\"op\":\"subscribed\"".getBytes();

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMillis(60), 3);
    /** The same, read every second for the progress lines. */
    private final Recorder perSecond = new Recorder(TimeUnit.SECONDS.toMillis(60), 3);
    private final LongAdder deltas = new LongAdder();
    private final LongAdder snapshots = new LongAdder();
    private final LongAdder tradesReceived = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder hellos = new LongAdder();
    private final LongAdder other = new LongAdder();
    private final LongAdder connected = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder bookSubscriptions = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
    private final LongAdder changes = new LongAdder();
    private final LongAdder tradesMade = new LongAdder();
    private final LongAdder driverFailures = new LongAdder();
    private AtomicLongArray changesPerMarket;
    private AtomicLongArray tradesPerMarket;
    private AtomicLongArray bookFollowers;
    private AtomicLongArray tradeFollowers;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private OrderEntryGrpcClient orders;
    private Vertx vertx;
    private Vertx driverVertx;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WebSocketFanOut()).execute(args));
    }

    private static SocketAddress address(String hostPort) {
        return io.trademesh.platform.cluster.GrpcCalls.address(hostPort);
    }

    private static String market(int i) {
        return "WSF-" + i;
    }

    @Override
    public Integer call() throws Exception {
        for (String c : channels) {
            if (!c.equals("book") && !c.equals("trades")) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--channels: book and/or trades");
            }
        }
        changesPerMarket = new AtomicLongArray(markets);
        tradesPerMarket = new AtomicLongArray(markets);
        bookFollowers = new AtomicLongArray(markets);
        tradeFollowers = new AtomicLongArray(markets);
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        driverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            SocketAddress spotAt = address(spot);
            orders = OrderEntryGrpcClient.create(GrpcClient.client(driverVertx), spotAt);
            long run = System.currentTimeMillis();
            setUp(SpotServiceGrpcClient.create(GrpcClient.client(driverVertx), spotAt),
                    WalletServiceGrpcClient.create(GrpcClient.client(driverVertx), spotAt), run);
            awaitCatalog();

            connectAll();
            Map<String, Double> metrics0 = metrics();
            for (int i = 0; i < inflight; i++) {
                Random r = new Random(i);
                long buyer = BUYERS + i;
                long seller = SELLERS + i;
                // With --rate, the loops start spread over one period, so the changes come evenly, not in bursts.
                long offsetMs = rate <= 0 ? 0 : i * 2_000L / rate;
                driverVertx.setTimer(1 + offsetMs, id -> loop(buyer, seller, r, 0));
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));

            Map<String, Double> metrics1 = metrics();
            long received0 = received();
            long snapshots0 = snapshots.sum();
            long changes0 = changes.sum();
            long trades0 = tradesMade.sum();
            long expected0 = expected();
            long closed0 = closed.sum();
            latency.getIntervalHistogram();
            perSecond.getIntervalHistogram();
            Histogram h = new Histogram(TimeUnit.SECONDS.toMillis(60), 3);
            long t0 = System.nanoTime();
            long lastReceived = received0;
            long lastChanges = changes0;
            for (int s = 1; s <= seconds; s++) {
                Thread.sleep(Math.max(0, t0 / 1_000_000 + s * 1_000L - System.nanoTime() / 1_000_000));
                long r = received();
                long c = changes.sum();
                Histogram second = perSecond.getIntervalHistogram();
                System.out.printf("  %2d s: %,d changes/s, %,d messages/s received (p50 %d ms, max %d ms), %,d"
                                + " sockets closed%n", s, c - lastChanges, r - lastReceived,
                        second.getValueAtPercentile(50), second.getMaxValue(), closed.sum());
                lastReceived = r;
                lastChanges = c;
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            h.add(latency.getIntervalHistogram());
            long got = received() - received0;
            long made = changes.sum() - changes0;
            long traded = tradesMade.sum() - trades0;
            long expected = expected() - expected0;
            long resynced = snapshots.sum() - snapshots0;
            long closedInRun = closed.sum() - closed0;
            Map<String, Double> metrics2 = metrics();
            String gatewayRss = rss(pidFile);
            String clientRss = rss(null);
            running.set(false);
            // What the gateway still had queued when the driver stopped: received until a quiet second.
            long drainStart = System.nanoTime();
            long before = received();
            long last = before;
            long quietSince = System.nanoTime();
            while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(drainSeconds)
                    && System.nanoTime() - quietSince < 1_000_000_000L) {
                Thread.sleep(100);
                long r = received();
                if (r != last) {
                    last = r;
                    quietSince = System.nanoTime();
                }
            }
            double drained = (quietSince - drainStart) / 1e9;

            System.out.printf("%,d sockets (%,d connected, %,d refused, %,d closed during the run) x %d markets"
                            + " of %d, channels %s, from %d source addresses:%n", clients, connected.sum(),
                    refused.sum(), closedInRun, perClient, markets, channels, Math.max(1, sourceIps));
            System.out.printf("  %,.0f book changes/s made (%,.0f trades/s), %,.0f messages/s received (%.1f%% of"
                            + " the %,.0f/s the subscriptions should get; %,d snapshots in the run: resyncs)%n",
                    made / elapsed, traded / elapsed, got / elapsed, expected == 0 ? 0.0 : 100.0 * got / expected,
                    expected / elapsed, resynced);
            System.out.printf("  latency (event stamp to receipt, ms): p50 %d, p99 %d, p99.9 %d, max %d (%,d"
                            + " events)%n", h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue(), h.getTotalCount());
            System.out.printf("  gateway: resyncs %s in the run (%s during ramp and warm-up), slow disconnects %s,"
                            + " sessions %s, missed batches %s; RSS of the gateway %s; RSS of this JVM %s%n",
                    diff(metrics2, metrics1, "gateway_websocket_book_resyncs_total"),
                    diff(metrics1, metrics0, "gateway_websocket_book_resyncs_total"),
                    diff(metrics2, null, "gateway_websocket_slow_disconnects_total"),
                    diff(metrics2, null, "gateway_websocket_sessions"),
                    diff(metrics2, null, "gateway_event_batches_missed_total"), gatewayRss, clientRss);
            System.out.printf("  after the driver stopped: %,d messages more in %.1f s (what was queued)%n",
                    last - before, drained);
            if (!errors.isEmpty() || !refusals.isEmpty() || !closes.isEmpty() || driverFailures.sum() > 0) {
                System.out.printf("  errors on the sockets %s; connects refused %s; closes %s; driver calls"
                        + " failed %,d%n", new TreeMap<>(errors), new TreeMap<>(refusals), new TreeMap<>(closes),
                        driverFailures.sum());
            }
            Thread.sleep(500);
        } finally {
            running.set(false);
            driverVertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
        return 0;
    }

    private long received() {
        return deltas.sum() + snapshots.sum() + tradesReceived.sum();
    }

    /** What the subscriptions should have received so far: every change to every follower of its market. */
    private long expected() {
        long e = 0;
        for (int m = 0; m < markets; m++) {
            e += changesPerMarket.get(m) * bookFollowers.get(m) + tradesPerMarket.get(m) * tradeFollowers.get(m);
        }
        return e;
    }

    // ---------------------------------------------------------------- clients

    /** Opens the sockets at {@code --ramp} a second, each on one of the event loops, then waits for their snapshots. */
    private void connectAll() throws Exception {
        String[] hp = gateway.split(":");
        int ips = Math.max(1, sourceIps);
        WebSocketClient[] wsClients = new WebSocketClient[ips];
        for (int i = 0; i < ips; i++) {
            WebSocketClientOptions o = new WebSocketClientOptions().setMaxConnections(clients)
                    .setConnectTimeout(30_000).setMaxMessageSize(4 * 1024 * 1024).setMaxFrameSize(1024 * 1024)
                    .setTcpNoDelay(true);
            if (sourceIps > 0) {
                o.setLocalAddress("127.0." + (1 + i / 250) + "." + (1 + i % 250));
            }
            wsClients[i] = vertx.createWebSocketClient(o);
        }
        Context[] loops = new Context[eventLoops];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = vertx.getOrCreateContext();   // from this thread: a new context, the event loops in turn
        }
        Random random = new Random(11);
        Semaphore handshakes = new Semaphore(Math.max(16, ramp));   // at most a second's worth under way
        long start = System.nanoTime();
        long lastReport = start;
        for (int i = 0; i < clients; i++) {
            long due = start + (long) (i * 1e9 / ramp);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!handshakes.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.format("handshakes stuck for 30 s after %,d opened: %,d"
                        + " connected, %,d refused (is the gateway alive? see its log)", i, connected.sum(),
                        refused.sum()));
            }
            Set<Integer> picked = new HashSet<>();
            while (picked.size() < Math.min(perClient, markets)) {
                picked.add(random.nextInt(markets));
            }
            int[] mine = picked.stream().mapToInt(Integer::intValue).toArray();
            WebSocketClient client = wsClients[i % ips];
            loops[i % loops.length].runOnContext(v -> connect(client, hp[0], Integer.parseInt(hp[1]), mine)
                    .onComplete(ar -> handshakes.release()));
            if (System.nanoTime() - lastReport > 5e9) {
                lastReport = System.nanoTime();
                System.out.printf("  ramp: %,d opened, %,d connected, %,d refused, %,d messages received%n", i + 1,
                        connected.sum(), refused.sum(), received());
            }
        }
        handshakes.acquire(Math.max(16, ramp));   // every handshake done
        long books = bookSubscriptions.sum();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (snapshots.sum() < books && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        System.out.printf("ramp: %,d sockets in %.1f s: %,d connected, %,d refused; %,d/%,d first snapshots,"
                        + " %,d subscriptions acknowledged%n", clients, (System.nanoTime() - start) / 1e9,
                connected.sum(), refused.sum(), snapshots.sum(), books, acks.sum());
    }

    private Future<WebSocket> connect(WebSocketClient client, String host, int port, int[] mine) {
        return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/v1/ws")
                        .setConnectTimeout(30_000))
                .onSuccess(ws -> {
                    connected.increment();
                    ws.handler(b -> onMessage(ws, b));
                    ws.exceptionHandler(t -> count(errors, "exception " + t.getClass().getSimpleName()));
                    ws.closeHandler(v -> {
                        if (closed.sum() == 0) {
                            System.out.printf("  (first socket closed, %s %s, at %s)%n", ws.closeStatusCode(),
                                    ws.closeReason(), java.time.LocalTime.now());
                        }
                        closed.increment();
                        if (running.get()) {
                            count(closes, ws.closeStatusCode() + " " + ws.closeReason());
                        }
                    });
                    for (int m : mine) {
                        for (String channel : channels) {
                            ws.writeTextMessage(subscribe(channel, m));
                            if (channel.equals("book")) {
                                bookSubscriptions.increment();
                                bookFollowers.incrementAndGet(m);
                            } else {
                                tradeFollowers.incrementAndGet(m);
                            }
                        }
                    }
                })
                .onFailure(t -> {
                    refused.increment();
                    count(refusals, t.getClass().getSimpleName() + ": " + String.valueOf(t.getMessage())
                            .replaceAll("[0-9]+", "N"));
                });
    }

    private static String subscribe(String channel, int m) {
        return "{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"market\":\"" + market(m) + "\"}";
    }

    private static void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** Reads only what it needs: the message's kind from its first bytes, the stamp from its last field. */
    private void onMessage(WebSocket ws, Buffer b) {
        if (startsWith(b, DELTA)) {
            deltas.increment();
            record(b);
        } else if (startsWith(b, TRADES)) {
            tradesReceived.increment();
            record(b);
        } else if (startsWith(b, SNAPSHOT)) {
            snapshots.increment();
        } else if (startsWith(b, SUBSCRIBED)) {
            acks.increment();
        } else if (startsWith(b, HELLO)) {
            hellos.increment();
        } else {
            other.increment();
            JsonObject msg;
            try {
                msg = new JsonObject(b);
            } catch (RuntimeException e) {
                count(errors, "unparsed frame");   // a continuation frame of a long message, say
                return;
            }
            Object error = msg.getValue("error");
            if (error instanceof JsonObject e) {
                count(errors, e.getString("code"));
                String market = msg.getString("market");
                if ("book".equals(msg.getString("channel")) && market != null && running.get()) {
                    // "book snapshot failed; subscribe again": once, a second later
                    vertx.setTimer(1_000, id -> ws.writeTextMessage("{\"op\":\"subscribe\",\"channel\":\"book\","
                            + "\"market\":\"" + market + "\"}"));
                }
            }
        }
    }

    private static boolean startsWith(Buffer b, byte[] prefix) {
        if (b.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The event's stamp is its last field ({@code ..."time":1234}} or {@code }}}): digits read backwards. */
    private void record(Buffer b) {
        int i = b.length() - 1;
        while (i >= 0 && b.getByte(i) == '}') {
            i--;
        }
        long value = 0;
        long scale = 1;
        while (i >= 0) {
            byte c = b.getByte(i);
            if (c < '0' || c > '9') {
                break;
            }
            value += (c - '0') * scale;
            scale *= 10;
            i--;
        }
        if (i < 0 || b.getByte(i) != ':' || scale == 1) {
            return;
        }
        long ms = Math.max(0, Math.min(System.currentTimeMillis() - value, 59_000));
        latency.recordValue(ms);
        perSecond.recordValue(ms);
    }

    // ---------------------------------------------------------------- the driver

    /** The gateway serves a market once its catalog (refreshed every second) lists it. */
    private void awaitCatalog() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int m = 0; m < markets; m++) {
            while (true) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + gateway
                        + "/v1/markets/" + market(m) + "/book?depth=1")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway does not serve " + market(m) + ": " + r.statusCode()
                            + " " + r.body());
                }
                Thread.sleep(500);
            }
        }
    }

    /** The markets that are missing (with {@code --depth} resting levels a side), and money for the driver. */
    private void setUp(SpotServiceGrpcClient api, WalletServiceGrpcClient wallet, long run) throws Exception {
        Set<String> existing = new HashSet<>();
        orders.listMarkets(ListMarketsRequest.getDefaultInstance()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).getMarketsList().forEach(m -> existing.add(m.getSymbol()));
        List<Integer> fresh = new ArrayList<>();
        for (int i = 0; i < markets; i++) {
            if (!existing.contains(market(i))) {
                fresh.add(i);
            }
        }
        DriverMarkets.create(api, fresh.stream().map(WebSocketFanOut::market).toList(), "WSF");
        DriverMarkets.fund(wallet, "wsf-b-" + run, BUYERS, inflight, "USDT");
        DriverMarkets.fund(wallet, "wsf-s-" + run, SELLERS, inflight, "WSF");
        // Resting depth on new markets (bids below the driver's prices, asks above): realistic snapshots.
        List<Future<?>> rested = new ArrayList<>();
        for (int i : fresh) {
            for (int level = 1; level <= depth; level++) {
                rested.add(orders.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(BUYERS).setMarket(market(i))
                        .setSide(Side.SIDE_BUY).setPrice(100 - level).setQuantity(1_000_000).build()));
                rested.add(orders.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(SELLERS).setMarket(market(i))
                        .setSide(Side.SIDE_SELL).setPrice(200 + level).setQuantity(1_000_000).build()));
            }
        }
        Future.all(rested).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        System.out.printf("set-up: %d markets created (%d existed), %d resting levels placed, %d accounts funded%n",
                fresh.size(), markets - fresh.size(), rested.size(), 2 * inflight);
    }

    /**
     * A resting bid on a random market (a book change), then its cancel (another), or in
     * {@code --trade-percent} of the rounds an IOC sell at that price (a trade and a change); repeat.
     */
    private void loop(long buyer, long seller, Random random, long n) {
        if (!running.get()) {
            return;
        }
        long roundStart = System.nanoTime();
        int m = random.nextInt(markets);
        String market = market(m);
        long price = 100 + (n % 50);
        boolean trade = random.nextInt(100) < tradePercent;
        orders.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(buyer).setMarket(market)
                        .setSide(Side.SIDE_BUY).setPrice(price).setQuantity(100_000).build())
                .compose((OrderReply placed) -> {
                    if (!placed.getAccepted()) {
                        return Future.failedFuture(placed.getRejectReason());
                    }
                    changed(m);
                    if (trade) {
                        return orders.placeOrder(PlaceOrderRequest.newBuilder().setAccountId(seller).setMarket(market)
                                        .setSide(Side.SIDE_SELL).setPrice(price).setQuantity(100_000)
                                        .setTimeInForce(TimeInForce.TIME_IN_FORCE_IOC).build())
                                .onSuccess(sold -> {
                                    if (sold.getFillsCount() > 0) {
                                        changed(m);
                                        tradesMade.add(sold.getFillsCount());
                                        tradesPerMarket.addAndGet(m, sold.getFillsCount());
                                    }
                                });
                    }
                    return orders.cancelOrder(CancelOrderRequest.newBuilder().setAccountId(buyer).setMarket(market)
                            .setOrderId(placed.getOrder().getOrderId()).build()).onSuccess(c -> {
                                if (c.getAccepted()) {
                                    changed(m);
                                }
                            });
                })
                .onComplete(ar -> {
                    if (ar.failed()) {
                        driverFailures.increment();
                    }
                    // With --rate, each of the --inflight loops makes its two changes every inflight * 2 / rate s.
                    long waitMs = rate <= 0 ? 0 : (roundStart + 2_000_000_000L * inflight / rate - System.nanoTime())
                            / 1_000_000;
                    if (waitMs > 0) {
                        driverVertx.setTimer(waitMs, id -> loop(buyer, seller, random, n + 1));
                    } else {
                        loop(buyer, seller, random, n + 1);
                    }
                });
    }

    private void changed(int m) {
        changes.increment();
        changesPerMarket.incrementAndGet(m);
    }

    // ---------------------------------------------------------------- what the processes report

    /** The gateway's counters and gauges, by Prometheus name (summed over labels); empty without --metrics. */
    private Map<String, Double> metrics() {
        Map<String, Double> out = new TreeMap<>();
        if (metricsUrl == null || metricsUrl.isBlank()) {
            return out;
        }
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
            String body = http.sendAsync(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(3))
                    .build(), HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS).body();
            for (String line : body.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                int brace = line.indexOf('{');
                String name = line.substring(0, brace > 0 && brace < space ? brace : space);
                out.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
            }
        } catch (Exception e) {
            System.out.println("  (metrics unreadable: " + e + ")");
        }
        return out;
    }

    private static String diff(Map<String, Double> later, Map<String, Double> earlier, String name) {
        Double v = later.get(name);
        Double w = earlier == null ? Double.valueOf(0) : earlier.get(name);
        if (v == null || w == null) {
            return "?";   // the metrics did not answer in time (they share the busy event loop)
        }
        return String.format("%,.0f", v - w);
    }

    /** VmRSS of the process in {@code pid} (a pid file), or of this JVM when null. */
    private static String rss(Path pid) {
        try {
            double mb = ProcessStats.rssMb(ProcessStats.pid(pid));
            return mb < 0 ? "(unknown)" : String.format("%,.0f MB", mb);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
