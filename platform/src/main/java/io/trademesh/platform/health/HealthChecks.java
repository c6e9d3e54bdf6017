package io.trademesh.platform.health;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: every named check
 * passes (cluster joined, store open, recovery done, ...); 503 with the failing checks
 * otherwise, so an operator sees why.
 */
public final class HealthChecks {

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private volatile boolean shuttingDown;

    public synchronized HealthChecks register(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    /** From now on the service reports not ready, whatever the checks say. */
    public void shuttingDown() {
        shuttingDown = true;
    }

    public synchronized boolean isReady() {
        if (shuttingDown) {
            return false;
        }
        for (BooleanSupplier c : checks.values()) {
            if (!c.getAsBoolean()) {
                return false;
            }
        }
        return true;
    }

    public synchronized JsonObject status() {
        JsonObject detail = new JsonObject();
        checks.forEach((name, c) -> detail.put(name, c.getAsBoolean() ? "UP" : "DOWN"));
        if (shuttingDown) {
            detail.put("shutdown", "IN_PROGRESS");
        }
        return new JsonObject().put("status", isReady() ? "UP" : "DOWN").put("checks", detail);
    }

    public void live(RoutingContext rc) {
        rc.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
    }

    public void ready(RoutingContext rc) {
        JsonObject s = status();
        rc.response()
                .setStatusCode("UP".equals(s.getString("status")) ? 200 : 503)
                .putHeader("content-type", "application/json")
                .end(s.encode());
    }
}
