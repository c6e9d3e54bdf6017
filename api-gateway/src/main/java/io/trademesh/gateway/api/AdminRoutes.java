package io.trademesh.gateway.api;

import static io.trademesh.gateway.api.Responses.respond;

import io.trademesh.gateway.routing.Backends;
import io.trademesh.gateway.routing.MarketCatalog;
import io.trademesh.gateway.routing.ServiceEndpoints;
import io.trademesh.platform.cluster.ProductOwners;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.ContractKind;
import io.trademesh.proto.common.FuturesTerms;
import io.trademesh.proto.common.MarginBracket;
import io.trademesh.proto.futures.CreateContractRequest;
import io.trademesh.proto.futures.FuturesServiceGrpcClient;
import io.trademesh.proto.trading.MarketReply;
import io.vertx.core.Future;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MatchingMode;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.AssetAudit;
import io.trademesh.proto.risk.AuditReport;
import io.trademesh.proto.risk.AuditRequest;
import io.trademesh.proto.risk.CreateAccountRequest;
import io.trademesh.proto.risk.CreateApiKeyRequest;
import io.trademesh.proto.risk.FundingRequest;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.ProductHoldings;
import io.trademesh.proto.risk.RevokeApiKeyRequest;
import io.trademesh.proto.risk.RiskServiceGrpcClient;
import io.trademesh.proto.risk.SetIndexPriceRequest;
import io.trademesh.proto.risk.SetLimitsRequest;
import io.trademesh.proto.risk.SuspendAccountRequest;
import io.trademesh.proto.spot.CreateMarketRequest;
import io.trademesh.proto.spot.SpotServiceGrpcClient;
import io.trademesh.proto.wallet.AssetTotals;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * Operator routes: accounts, keys, limits, deposits and withdrawals, markets, index prices
 * and the solvency audit. The operator token is checked by {@link EdgeGuard} before any of
 * this runs; the services check what they own (a market's consistency is spot's to judge).
 */
final class AdminRoutes {

    private final MarketCatalog catalog;
    private final Backends backends;
    private final ServiceEndpoints services;

    AdminRoutes(MarketCatalog catalog, Backends backends, ServiceEndpoints services) {
        this.catalog = catalog;
        this.backends = backends;
        this.services = services;
    }

    void bind(RouterBuilder b) {
        b.getRoute("adminCreateAccount").addHandler(this::createAccount);
        b.getRoute("adminSuspendAccount").addHandler(this::suspendAccount);
        b.getRoute("adminCreateKey").addHandler(this::createKey);
        b.getRoute("adminRevokeKey").addHandler(this::revokeKey);
        b.getRoute("adminSetLimits").addHandler(this::setLimits);
        b.getRoute("adminDeposit").addHandler(rc -> funding(rc, true));
        b.getRoute("adminWithdraw").addHandler(rc -> funding(rc, false));
        b.getRoute("adminCreateMarket").addHandler(this::createMarket);
        b.getRoute("adminSetIndexPrice").addHandler(this::setIndexPrice);
        b.getRoute("adminAudit").addHandler(this::audit);
    }

    private String risk() {
        return services.require("risk-service");
    }

    private static JsonObject account(io.trademesh.proto.risk.Account a) {
        return new JsonObject().put("accountId", a.getAccountId()).put("name", a.getName())
                .put("status", a.getStatus().name().substring("ACCOUNT_STATUS_".length()))
                .put("createdAt", a.getCreatedAtMs());
    }

    private void createAccount(RoutingContext rc) {
        respond(rc, () -> backends.unary(risk(), RiskServiceGrpcClient.CreateAccount, CreateAccountRequest.newBuilder()
                .setName(rc.body().asJsonObject().getString("name")).build()).map(AdminRoutes::account));
    }

    private void suspendAccount(RoutingContext rc) {
        respond(rc, () -> backends.unary(risk(), RiskServiceGrpcClient.SuspendAccount, SuspendAccountRequest
                        .newBuilder().setAccountId(Params.accountId(rc))
                        .setSuspended(rc.body().asJsonObject().getBoolean("suspended")).build())
                .map(AdminRoutes::account));
    }

    private static JsonObject key(io.trademesh.proto.risk.ApiKey k) {
        JsonArray permissions = new JsonArray();
        k.getPermissionsList().forEach(p -> permissions.add(p.name().substring("PERMISSION_".length())
                .toLowerCase(Locale.ROOT)));
        return new JsonObject().put("apiKey", k.getApiKey()).put("accountId", k.getAccountId())
                .put("permissions", permissions).put("ipAllowlist", new JsonArray(k.getIpAllowlistList()))
                .put("revoked", k.getRevoked()).put("label", k.getLabel());
    }

    private void createKey(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            CreateApiKeyRequest.Builder b = CreateApiKeyRequest.newBuilder().setAccountId(Params.accountId(rc))
                    .setLabel(body.getString("label", ""));
            for (Object p : body.getJsonArray("permissions")) {
                try {
                    b.addPermissions(Permission.valueOf("PERMISSION_" + p.toString().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiError.badRequest("INVALID_PERMISSION", "permissions are read, trade or transfer");
                }
            }
            body.getJsonArray("ipAllowlist", new JsonArray()).forEach(ip -> b.addIpAllowlist(ip.toString()));
            return backends.unary(risk(), RiskServiceGrpcClient.CreateApiKey, b.build())
                    .map(reply -> key(reply.getKey()).put("secret", reply.getSecret()));
        });
    }

    private void revokeKey(RoutingContext rc) {
        respond(rc, () -> backends.unary(risk(), RiskServiceGrpcClient.RevokeApiKey,
                RevokeApiKeyRequest.newBuilder().setApiKey(rc.pathParam("apiKey")).build()).map(AdminRoutes::key));
    }

    /** The notional cap is a decimal amount of {@code notionalAsset}, which a market must name. */
    private void setLimits(RoutingContext rc) {
        respond(rc, () -> {
            long account = Params.accountId(rc);
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("notionalAsset", "");
            String notional = body.getString("maxOrderNotional");
            // "0" (or none) is no cap; the contract has checked it is a decimal.
            long cap = notional == null || new BigDecimal(notional).signum() == 0 ? 0
                    : Amounts.parse(catalog, asset, notional);
            AccountLimits limits = AccountLimits.newBuilder()
                    .setAccountId(account)
                    .setMaxOpenOrders(body.getInteger("maxOpenOrders", 0))
                    .setMaxOrderNotional(cap)
                    .setNotionalAsset(cap > 0 ? asset : "")
                    .setKillSwitch(body.getBoolean("killSwitch", false)).build();
            return backends.unary(risk(), RiskServiceGrpcClient.SetLimits,
                            SetLimitsRequest.newBuilder().setLimits(limits).build())
                    .map(l -> new JsonObject().put("accountId", l.getAccountId())
                            .put("maxOpenOrders", l.getMaxOpenOrders())
                            .put("maxOrderNotional", Decimals.format(l.getMaxOrderNotional(),
                                    Math.max(0, catalog.decimals(l.getNotionalAsset()))))
                            .put("notionalAsset", l.getNotionalAsset()).put("killSwitch", l.getKillSwitch()));
        });
    }

    private void funding(RoutingContext rc, boolean deposit) {
        respond(rc, () -> {
            JsonObject body = rc.body().asJsonObject();
            String asset = body.getString("asset");
            FundingRequest request = FundingRequest.newBuilder().setOperationId(body.getString("operationId"))
                    .setAccountId(Params.accountId(body, "accountId")).setAsset(asset)
                    .setAmount(Amounts.parse(catalog, asset, body.getString("amount"))).build();
            return backends.unary(risk(), deposit ? RiskServiceGrpcClient.Deposit : RiskServiceGrpcClient.Withdraw,
                    request).map(reply -> {
                        if (!reply.getApplied()) {
                            throw ApiError.badRequest(reply.getRejectReason(), (deposit ? "deposit" : "withdrawal")
                                    + " refused: " + reply.getRejectReason());
                        }
                        return Json.balance(reply.getBalance(), catalog.requireDecimals(asset))
                                .put("duplicate", reply.getDuplicate());
                    });
        });
    }

    /** A market of the body's {@code product} (SPOT when absent), created by that product's service. */
    private void createMarket(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject j = rc.body().asJsonObject();
            String productName = j.getString("product", "SPOT");
            Product product = "FUTURES".equals(productName) ? Product.PRODUCT_FUTURES : Product.PRODUCT_SPOT;
            if (!"SPOT".equals(productName) && !"FUTURES".equals(productName)) {
                throw ApiError.badRequest("UNSUPPORTED_PRODUCT", "markets of product " + productName
                        + " cannot be created yet: its service does not serve market creation");
            }
            if ((product == Product.PRODUCT_FUTURES) != j.containsKey("futures")) {
                throw ApiError.badRequest("INVALID_MARKET", "a FUTURES market has futures terms, and only it");
            }
            int ps = j.getInteger("priceScale");
            int bd = j.getInteger("baseDecimals");
            int qd = j.getInteger("quoteDecimals");
            Market.Builder market = Market.newBuilder()
                    .setSymbol(j.getString("symbol")).setProduct(product)
                    .setBase(Asset.newBuilder().setSymbol(j.getString("base")).setDecimals(bd))
                    .setQuote(Asset.newBuilder().setSymbol(j.getString("quote")).setDecimals(qd))
                    .setPriceScale(ps)
                    .setTickSize(units(j, "tickSize", ps, 0))
                    .setLotSize(units(j, "lotSize", bd, 0))
                    .setMinQuantity(units(j, "minQuantity", bd, units(j, "lotSize", bd, 0)))
                    .setMaxQuantity(units(j, "maxQuantity", bd, 0))
                    .setMaxPrice(units(j, "maxPrice", ps, 0))
                    .setMinNotional(units(j, "minNotional", qd, 0))
                    .setMakerFeeBps(j.getInteger("makerFeeBps", 0))
                    .setTakerFeeBps(j.getInteger("takerFeeBps", 0))
                    .setPriceBandBps(j.getInteger("priceBandBps", 0))
                    .setMaxOpenOrdersPerAccount(j.getInteger("maxOpenOrdersPerAccount", 1000))
                    .setMatchingMode(j.getLong("auctionIntervalMs", 0L) > 0 ? MatchingMode.MATCHING_MODE_AUCTION
                            : MatchingMode.MATCHING_MODE_CONTINUOUS)
                    .setAuctionIntervalMs(j.getLong("auctionIntervalMs", 0L));
            String owner = services.require(ProductOwners.service(product));
            Future<MarketReply> created;
            if (product == Product.PRODUCT_FUTURES) {
                market.setFutures(futuresTerms(j.getJsonObject("futures"), qd));
                created = backends.unary(owner, FuturesServiceGrpcClient.CreateContract,
                        CreateContractRequest.newBuilder().setMarket(market).build());
            } else {
                created = backends.unary(owner, SpotServiceGrpcClient.CreateMarket,
                        CreateMarketRequest.newBuilder().setMarket(market).build());
            }
            return created.map(reply -> {
                catalog.put(reply.getMarket(), reply.getLocation().getGrpcEndpoint());
                return Json.market(reply.getMarket());
            });
        });
    }

    /** A contract's futures terms (the contract has checked the shapes); amounts at the quote's decimals. */
    private static FuturesTerms futuresTerms(JsonObject f, int quoteDecimals) {
        FuturesTerms.Builder t = FuturesTerms.newBuilder()
                .setKind("DATED".equals(f.getString("kind")) ? ContractKind.CONTRACT_KIND_DATED
                        : ContractKind.CONTRACT_KIND_PERPETUAL)
                .setExpiryMs(f.getLong("expiry", 0L))
                .setSettlementWindowMs(f.getLong("settlementWindowMs", 0L))
                .setFundingIntervalMs(f.getLong("fundingIntervalMs", 0L))
                .setInterestRateE8(units(f, "interestRate", 8, 0))
                .setFundingCapE8(units(f, "fundingCap", 8, 0))
                .setImpactNotional(units(f, "impactNotional", quoteDecimals, 0))
                .setLiquidationFeeBps(f.getInteger("liquidationFeeBps", 0));
        for (Object o : f.getJsonArray("brackets")) {
            JsonObject b = (JsonObject) o;
            t.addBrackets(MarginBracket.newBuilder().setNotionalCap(units(b, "notionalCap", quoteDecimals, 0))
                    .setMaxLeverage(b.getInteger("maxLeverage"))
                    .setMaintenanceMarginBps(b.getInteger("maintenanceMarginBps")));
        }
        return t.build();
    }

    /** A decimal field in units of {@code scale}; {@code dflt} when absent. */
    private static long units(JsonObject j, String field, int scale, long dflt) {
        if (!j.containsKey(field)) {
            return dflt;
        }
        Long v = Decimals.parse(j.getString(field), scale);
        if (v == null) {
            throw ApiError.badRequest("INVALID_MARKET", field + " must have at most " + scale
                    + " decimals and fit 63 bits in units");
        }
        return v;
    }

    private void setIndexPrice(RoutingContext rc) {
        respond(rc, () -> {
            JsonObject j = rc.body().asJsonObject();
            String asset = j.getString("asset");
            String quote = j.getString("quote");
            MarketCatalog.Entry m = catalog.get(asset + "-" + quote);
            int scale = m != null ? m.market().getPriceScale() : 8;
            Long price = Decimals.parse(j.getString("price"), scale);
            if (price == null || price <= 0) {
                throw ApiError.badRequest("INVALID_PRICE", "price must be positive with at most " + scale
                        + " decimals");
            }
            IndexPrice p = IndexPrice.newBuilder().setAsset(asset).setQuote(quote).setPrice(price)
                    .setPriceScale(scale).setSource("operator").setTimestampMs(System.currentTimeMillis()).build();
            return backends.unary(risk(), RiskServiceGrpcClient.SetIndexPrice,
                            SetIndexPriceRequest.newBuilder().setPrice(p).build())
                    .map(r -> new JsonObject().put("asset", r.getAsset()).put("quote", r.getQuote())
                            .put("price", Decimals.format(r.getPrice(), r.getPriceScale()))
                            .put("source", r.getSource()));
        });
    }

    private void audit(RoutingContext rc) {
        respond(rc, () -> backends.unary(risk(), RiskServiceGrpcClient.Audit, AuditRequest.getDefaultInstance())
                .map(this::auditJson));
    }

    /** The audit as JSON; amounts as decimals of their asset where a market names it, else in units. */
    private JsonObject auditJson(AuditReport r) {
        JsonArray assets = new JsonArray();
        for (AssetAudit a : r.getAssetsList()) {
            int d = Math.max(0, catalog.decimals(a.getAsset()));
            JsonObject products = new JsonObject();
            for (ProductHoldings p : a.getProductsList()) {
                AssetTotals t = p.getTotals();
                products.put(p.getWallet().name().substring("WALLET_".length()), new JsonObject()
                        .put("available", Decimals.format(t.getAvailable(), d))
                        .put("locked", Decimals.format(t.getLocked(), d))
                        .put("fees", Decimals.format(t.getFees(), d))
                        .put("insurance", Decimals.format(t.getInsurance(), d))
                        .put("reserves", Decimals.format(t.getReserves(), d))
                        .put("deficits", Decimals.format(t.getDeficits(), d))
                        .put("positionCosts", Decimals.format(t.getPositionCosts(), d))
                        .put("supplied", Decimals.format(t.getSupplied(), d))
                        .put("borrowed", Decimals.format(t.getBorrowed(), d)));
            }
            assets.add(new JsonObject().put("asset", a.getAsset())
                    .put("deposited", Decimals.format(a.getDeposited(), d))
                    .put("withdrawn", Decimals.format(a.getWithdrawn(), d))
                    .put("funding", Decimals.format(a.getFunding(), d))
                    .put("products", products)
                    .put("inFlight", Decimals.format(a.getInFlight(), d))
                    // Without every wallet the difference counts a missing one's money as lost: say nothing.
                    .put("difference", r.getComplete() ? Decimals.format(a.getDifference(), d) : null));
        }
        JsonArray missing = new JsonArray();
        r.getMissingList().forEach(w -> missing.add(w.name().substring("WALLET_".length())));
        return new JsonObject().put("auditedAt", r.getAuditedAtMs()).put("complete", r.getComplete())
                .put("balanced", r.getComplete() ? r.getBalanced() : null).put("missing", missing)
                .put("transfersInFlight", r.getTransfersInFlight()).put("assets", assets);
    }
}
