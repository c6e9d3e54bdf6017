package io.trademesh.gateway.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** How every route answers: its JSON, or {@code {code, message}} with the refusal's status. */
public final class Responses {

    private static final Logger LOG = Logger.getLogger(Responses.class.getName());

    private Responses() {
    }

    static void ok(RoutingContext rc, Object body) {
        if (!rc.response().ended()) {
            // Encoded straight to UTF-8 bytes: encode() would build a String to be encoded again.
            rc.response().putHeader("content-type", "application/json")
                    .end(body instanceof JsonObject j ? j.toBuffer() : ((JsonArray) body).toBuffer());
        }
    }

    /**
     * Runs {@code work}, answering with its JSON or the error it ends in; an input error
     * thrown while building the work is answered the same way.
     */
    static void respond(RoutingContext rc, Supplier<Future<?>> work) {
        Future<?> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            if (ar.succeeded()) {
                ok(rc, ar.result());
            } else {
                error(rc, ar.cause());
            }
        });
    }

    /** The refusal as {@code {code, message}}; a 5xx is logged with its cause, which the client never sees. */
    public static void error(RoutingContext rc, Throwable t) {
        ApiError e = ApiError.of(t);
        if (e.status() >= 500) {
            LOG.log(e.status() == 500 ? Level.WARNING : Level.FINE, "request failed: " + rc.request().method() + " "
                    + rc.request().path(), t);
        }
        if (e.status() == 503 && !rc.response().headers().contains("Retry-After")) {
            rc.response().putHeader("Retry-After", "1");
        }
        if (!rc.response().ended()) {
            rc.response().setStatusCode(e.status()).putHeader("content-type", "application/json")
                    .end(new JsonObject().put("code", e.code()).put("message", e.getMessage()).encode());
        }
    }
}
