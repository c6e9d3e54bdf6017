package io.trademesh.gateway.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may reach a route, decided before the request is parsed or checked against the
 * contract: operator routes ({@code /v1/admin/...}) need the operator token, public market
 * data needs nothing, and every other {@code /v1} route needs a valid signed request
 * ({@link RequestAuth#authenticate}). So a client without credentials learns nothing from
 * how its input would have been judged, and nothing it sends is parsed first.
 */
public final class EdgeGuard implements Handler<RoutingContext> {

    public static final String OPERATOR_HEADER = "X-OPERATOR-TOKEN";

    /** What a route needs from its caller. */
    public enum Access { PUBLIC, SIGNED, OPERATOR }

    private final RequestAuth auth;
    private final byte[] operatorToken;

    public EdgeGuard(RequestAuth auth, String operatorToken) {
        this.auth = auth;
        this.operatorToken = operatorToken.getBytes(StandardCharsets.UTF_8);
    }

    /** The access a request needs, by its method and normalized path. */
    public static Access access(HttpMethod method, String path) {
        if (!path.startsWith("/v1/")) {
            return Access.PUBLIC;          // not the API: 404
        }
        if (path.equals("/v1/admin") || path.startsWith("/v1/admin/")) {
            return Access.OPERATOR;
        }
        if (method == HttpMethod.GET && (path.equals("/v1/markets") || path.startsWith("/v1/markets/")
                || path.equals("/v1/futures/insurance") || path.equals("/v1/lending/pools")
                || (path.startsWith("/v1/pools/") && path.endsWith("/rates"))
                || path.equals("/v1/tickers/24h") || isContractData(path)
                || isOptionsData(path))) {
            return Access.PUBLIC;          // market data, limited per client address
        }
        return Access.SIGNED;
    }

    /** {@code /v1/futures/<market>/mark} and {@code .../funding}: a contract's public data. */
    private static boolean isContractData(String path) {
        if (!path.startsWith("/v1/futures/")) {
            return false;
        }
        int slash = path.indexOf('/', "/v1/futures/".length());
        String rest = slash < 0 ? "" : path.substring(slash);
        return slash > "/v1/futures/".length() && (rest.equals("/mark") || rest.equals("/funding"));
    }

    /**
     * Options' public data: the insurance fund, and an underlying's parameters and surface, its
     * chains or an instrument's ticker ({@code /v1/options/<kind>/<name>}). The account is signed.
     */
    private static boolean isOptionsData(String path) {
        if (path.equals("/v1/options/insurance")) {
            return true;
        }
        for (String kind : new String[] {"/v1/options/underlyings/", "/v1/options/chains/", "/v1/options/tickers/"}) {
            if (path.startsWith(kind) && path.length() > kind.length() && path.indexOf('/', kind.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void handle(RoutingContext rc) {
        // The query has been decoded already, before any route was matched (RestApi.wellFormedOnly).
        switch (access(rc.request().method(), rc.normalizedPath())) {
            case PUBLIC -> rc.next();
            case OPERATOR -> {
                String token = rc.request().getHeader(OPERATOR_HEADER);
                if (token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), operatorToken)) {
                    rc.next();
                } else {
                    Responses.error(rc, new ApiError(token == null ? 401 : 403, "OPERATOR_ONLY",
                            "header " + OPERATOR_HEADER + " with the operator token is required"));
                }
            }
            case SIGNED -> {
                Future<RequestAuth.Caller> f;
                try {
                    f = auth.authenticate(rc);
                } catch (RuntimeException e) {
                    f = Future.failedFuture(e);
                }
                f.onComplete(ar -> {
                    if (ar.succeeded()) {
                        rc.next();
                    } else {
                        Responses.error(rc, ar.cause());
                    }
                });
            }
        }
    }
}
