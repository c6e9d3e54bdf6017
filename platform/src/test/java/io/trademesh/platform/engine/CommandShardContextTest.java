package io.trademesh.platform.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.trademesh.platform.store.JournalStore;
import io.trademesh.platform.store.StateMachine;
import io.trademesh.proto.journal.JournalRecord;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single writer runs on a context of its own; a server listening from that context (as a
 * service's gRPC server does) handles its requests on the same thread, so a command does not
 * cross to another event loop and back.
 */
class CommandShardContextTest {

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private JournalStore store;

    @AfterEach
    void tearDown() throws Exception {
        if (store != null) {
            store.close();
        }
        await(vertx.close());
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void commandsAndQueriesRunOnTheShardsOwnContextOnTheThreadOfAServerListeningFromIt() throws Exception {
        store = JournalStore.open("shard-context-test", dir, new SimpleMeterRegistry());
        store.recover(new StateMachine() {
            @Override
            public void restore(long sequence, byte[] state) {
            }

            @Override
            public void replay(JournalRecord record) {
            }
        });
        Context own = await(CommandShard.ownContext(vertx));
        assertNotSame(own, await(CommandShard.ownContext(vertx)), "each shard gets a context of its own");
        List<Context> appliedOn = new ArrayList<>();
        CommandShard<List<Context>, JournalRecord, Long> shard = new CommandShard<>("test shard", own, appliedOn,
                store, (m, nowMs, command) -> {
                    m.add(Vertx.currentContext());
                    return nowMs;
                }, (sequence, outcome) -> { });

        AtomicReference<Thread> handlerThread = new AtomicReference<>();
        AtomicReference<Thread> shardThread = new AtomicReference<>();
        AtomicReference<Context> queryContext = new AtomicReference<>();
        own.runOnContext(v -> shardThread.set(Thread.currentThread()));
        Promise<HttpServer> listening = Promise.promise();
        own.runOnContext(v -> vertx.createHttpServer().requestHandler(req -> {
            handlerThread.set(Thread.currentThread());
            shard.submit(JournalRecord.newBuilder().setSequence(1).build())
                    .compose(o -> shard.query(m -> Vertx.currentContext()))
                    .onSuccess(ctx -> {
                        queryContext.set(ctx);
                        req.response().end("ok");
                    });
        }).listen(0, "127.0.0.1").onComplete(listening));
        HttpServer server = await(listening.future());
        HttpClientAgent client = vertx.createHttpClient();
        String body = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                .compose(r -> r.send().compose(res -> res.body())).map(Object::toString));
        assertEquals("ok", body);

        assertEquals(List.of(own), appliedOn, "the command was applied on the shard's context");
        assertSame(own, queryContext.get(), "the query ran on the shard's context");
        assertSame(shardThread.get(), handlerThread.get(), "the server's handler ran on the shard's thread");
    }
}
