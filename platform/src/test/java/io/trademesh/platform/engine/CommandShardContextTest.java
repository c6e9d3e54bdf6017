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
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single writer runs on a context of its own, not on the one a server's handlers run on. */
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
    void commandsAndQueriesRunOnTheShardsOwnContextNotTheServers() throws Exception {
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

        AtomicReference<Context> handlerContext = new AtomicReference<>();
        AtomicReference<Context> queryContext = new AtomicReference<>();
        HttpServer server = await(vertx.createHttpServer().requestHandler(req -> {
            handlerContext.set(Vertx.currentContext());
            shard.submit(JournalRecord.newBuilder().setSequence(1).build())
                    .compose(o -> shard.query(m -> Vertx.currentContext()))
                    .onSuccess(ctx -> {
                        queryContext.set(ctx);
                        req.response().end("ok");
                    });
        }).listen(0, "127.0.0.1"));
        HttpClientAgent client = vertx.createHttpClient();
        String body = await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/")
                .compose(r -> r.send().compose(res -> res.body())).map(Object::toString));
        assertEquals("ok", body);

        assertEquals(List.of(own), appliedOn, "the command was applied on the shard's context");
        assertSame(own, queryContext.get(), "the query ran on the shard's context");
        // Vert.x runs each request on a duplicate of the server's context: compare what it duplicates.
        assertNotSame(own, ((ContextInternal) handlerContext.get()).unwrap(), "the server's handler ran elsewhere");
    }
}
