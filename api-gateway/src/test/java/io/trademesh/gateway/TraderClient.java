package io.trademesh.gateway;

import io.trademesh.gateway.auth.Signatures;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A trader (or operator) talking to the gateway over HTTP and WebSocket, signing like a client library. */
final class TraderClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    final String apiKey;
    final String secret;

    TraderClient(int port, String apiKey, String secret) {
        this.port = port;
        this.apiKey = apiKey;
        this.secret = secret;
    }

    /** A signed request: timestamp (and recvWindow) in the query, signature over query + body. */
    HttpResponse<String> signed(String method, String path, String query, String body) throws Exception {
        return signedAt(method, path, query, body, System.currentTimeMillis());
    }

    HttpResponse<String> signedAt(String method, String path, String query, String body, long timestamp)
            throws Exception {
        String q = (query == null || query.isEmpty() ? "" : query + "&") + "timestamp=" + timestamp;
        String signature = Signatures.sign(secret, Signatures.payload(method, path, q, body));
        return send(method, path + "?" + q + "&signature=" + signature, body, apiKey, null);
    }

    HttpResponse<String> operator(String method, String path, String body) throws Exception {
        return send(method, path, body, null, TestMesh.OPERATOR_TOKEN);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String key, String operatorToken)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        if (key != null) {
            b.header("X-API-KEY", key);
        }
        if (operatorToken != null) {
            b.header("X-OPERATOR-TOKEN", operatorToken);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    /** A WebSocket whose text messages arrive in a queue. */
    static final class Socket implements AutoCloseable {
        final WebSocket ws;
        final BlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
        /** Completes with "code reason" when the server closes the socket. */
        final java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();

        /** The nonce the gateway greeted this socket with, which a login signs. */
        final String nonce;

        Socket(int port) throws Exception {
            StringBuilder partial = new StringBuilder();
            ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                messages.add(new JsonObject(partial.toString()));
                                partial.setLength(0);
                            }
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                            closed.complete(statusCode + " " + reason);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket socket, Throwable error) {
                            closed.complete("error " + error);
                        }
                    }).get(10, TimeUnit.SECONDS);
            nonce = await(m -> "hello".equals(m.getString("op"))).getString("nonce");
        }

        void send(JsonObject msg) {
            ws.sendText(msg.encode(), true).join();
        }

        /** Messages received but not yet matched by an {@link #await}, in arrival order. */
        private final java.util.List<JsonObject> unmatched = new java.util.ArrayList<>();

        /** The first message (earlier unmatched ones included) satisfying {@code match}; fails after 15 s. */
        JsonObject await(java.util.function.Predicate<JsonObject> match) throws InterruptedException {
            for (java.util.Iterator<JsonObject> it = unmatched.iterator(); it.hasNext(); ) {
                JsonObject m = it.next();
                if (match.test(m)) {
                    it.remove();
                    return m;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < deadline) {
                JsonObject m = messages.poll(200, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                if (match.test(m)) {
                    return m;
                }
                unmatched.add(m);
            }
            throw new AssertionError("no matching WebSocket message within 15 s");
        }

        /** Forgets the messages received so far that no {@link #await} has matched. */
        void forgetUnmatched() {
            unmatched.clear();
            messages.clear();
        }

        /** The login message for {@code trader} on this socket. */
        JsonObject loginMessage(TraderClient trader) {
            long ts = System.currentTimeMillis();
            return new JsonObject().put("op", "login").put("apiKey", trader.apiKey).put("timestamp", ts)
                    .put("signature", Signatures.sign(trader.secret, Signatures.loginPayload(nonce,
                            Long.toString(ts))));
        }

        void login(TraderClient trader) throws InterruptedException {
            send(loginMessage(trader));
            JsonObject reply = await(m -> "login".equals(m.getString("op")));
            if (reply.containsKey("error")) {
                throw new AssertionError("login failed: " + reply);
            }
        }

        @Override
        public void close() {
            ws.abort();
        }
    }
}
