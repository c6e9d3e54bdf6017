package io.trademesh.risk.api;

import io.trademesh.platform.engine.Outcome;
import io.trademesh.risk.store.ProtoMapping;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.proto.risk.AssetAudit;
import io.trademesh.proto.risk.AuditReport;
import io.trademesh.proto.risk.ProductHoldings;
import io.trademesh.proto.risk.RiskCommand;
import io.trademesh.proto.wallet.AssetTotals;
import io.trademesh.proto.wallet.TotalsRequest;
import io.trademesh.proto.wallet.WalletTotals;
import io.trademesh.risk.engine.SolvencyAudit;
import io.trademesh.risk.engine.WalletKind;
import io.trademesh.risk.store.RiskStateMachine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Runs the solvency audit ({@link SolvencyAudit}) across the mesh: reads risk-service's
 * side on its shard, asks every product wallet for its totals over the wallet contract,
 * reads risk-service's side again, and audits again (up to {@value #ATTEMPTS} times, 50 ms
 * apart) while transfers moved in between. Each complete audit sets the gauge
 * {@code solvency_difference{asset}} and, for an asset that does not add up, logs an ERROR.
 */
public final class SolvencyAuditor {

    private static final Logger LOG = Logger.getLogger(SolvencyAuditor.class.getName());
    static final int ATTEMPTS = 5;
    private static final long RETRY_DELAY_MS = 50;

    private final Vertx vertx;
    private final CommandShard<RiskStateMachine, RiskCommand, Outcome> shard;
    private final WalletClients wallets;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> differences = new ConcurrentHashMap<>();
    private final AtomicLong complete = new AtomicLong();

    public SolvencyAuditor(Vertx vertx, CommandShard<RiskStateMachine, RiskCommand, Outcome> shard,
                           WalletClients wallets, MeterRegistry registry) {
        this.vertx = vertx;
        this.shard = shard;
        this.wallets = wallets;
        this.registry = registry;
        Gauge.builder("solvency.audit.complete", complete, AtomicLong::get)
                .description("1 when the last audit heard every product wallet and no transfer moved under it")
                .register(registry);
    }

    /** Audits now; the report says whether it was complete and whether every asset adds up. */
    public Future<AuditReport> audit() {
        long startedAt = System.currentTimeMillis();
        return attempt(ATTEMPTS).map(result -> {
            record(result);
            return report(startedAt, result);
        });
    }

    private Future<SolvencyAudit.Result> attempt(int left) {
        return shard.query(m -> m.engine().auditBase()).compose(before -> askProducts(before).compose(answers ->
                shard.query(m -> m.engine().auditBase()).compose(after -> {
                    boolean settled = before.sameTransfers(after);
                    if (!settled && left > 1) {
                        Promise<SolvencyAudit.Result> again = Promise.promise();
                        vertx.setTimer(RETRY_DELAY_MS, id -> attempt(left - 1).onComplete(again));
                        return again.future();
                    }
                    SolvencyAudit.Result r = SolvencyAudit.audit(before, answers);
                    return Future.succeededFuture(settled ? r
                            : new SolvencyAudit.Result(false, r.missing(), r.transfersInFlight(), r.assets()));
                })));
    }

    /** The answer of every product wallet a completed transfer named; null for one that did not answer. */
    private Future<Map<WalletKind, SolvencyAudit.ProductAnswer>> askProducts(SolvencyAudit.Base base) {
        Map<WalletKind, Future<SolvencyAudit.ProductAnswer>> asked = new EnumMap<>(WalletKind.class);
        for (WalletKind kind : WalletKind.values()) {
            if (kind.service() != null && base.walletsUsed().contains(kind)) {
                asked.put(kind, wallets.totals(kind, TotalsRequest.newBuilder()
                        .addAllTransferIds(base.idsToAsk(kind)).build()).map(SolvencyAuditor::answer));
            }
        }
        return Future.join(new ArrayList<>(asked.values())).otherwiseEmpty().map(v -> {
            Map<WalletKind, SolvencyAudit.ProductAnswer> answers = new EnumMap<>(WalletKind.class);
            asked.forEach((kind, f) -> answers.put(kind, f.succeeded() ? f.result() : null));
            return answers;
        });
    }

    private static SolvencyAudit.ProductAnswer answer(WalletTotals t) {
        TreeMap<String, SolvencyAudit.Holdings> holdings = new TreeMap<>();
        for (AssetTotals a : t.getAssetsList()) {
            holdings.put(a.getAsset(), new SolvencyAudit.Holdings(a.getAvailable(), a.getLocked(), a.getFees(),
                    a.getInsurance(), a.getReserves(), a.getDeficits(), a.getPositionCosts(), a.getSupplied(),
                    a.getBorrowed()));
        }
        return new SolvencyAudit.ProductAnswer(holdings, new HashSet<>(t.getAppliedTransferIdsList()));
    }

    private void record(SolvencyAudit.Result r) {
        complete.set(r.complete() ? 1 : 0);
        if (!r.complete()) {
            LOG.warning("solvency audit incomplete: " + (r.missing().isEmpty()
                    ? "transfers kept moving while it ran" : "no answer from " + r.missing())
                    + "; the next audit tries again");
            return;
        }
        for (SolvencyAudit.AssetLine a : r.assets()) {
            differences.computeIfAbsent(a.asset(), asset -> {
                AtomicLong d = new AtomicLong();
                Gauge.builder("solvency.difference", d, AtomicLong::get).tag("asset", asset).baseUnit("units")
                        .description("What the venue holds minus what it owes, per asset, at the last complete"
                                + " audit: 0 when no money was made or lost")
                        .register(registry);
                return d;
            }).set(a.difference());
            if (a.difference() != 0) {
                LOG.severe("solvency audit: " + a.asset() + " does not add up: held " + (a.owed() + a.difference())
                        + " (funding " + a.funding() + ", products " + held(a) + ", in flight " + a.inFlight()
                        + ") against owed " + a.owed() + " (deposited " + a.deposited() + " - withdrawn "
                        + a.withdrawn() + "): difference " + a.difference() + " units");
            }
        }
    }

    private static String held(SolvencyAudit.AssetLine a) {
        List<String> parts = new ArrayList<>();
        a.products().forEach((kind, h) -> parts.add(kind + " " + h.total()));
        return String.join(", ", parts);
    }

    private static AuditReport report(long auditedAtMs, SolvencyAudit.Result r) {
        AuditReport.Builder b = AuditReport.newBuilder().setAuditedAtMs(auditedAtMs).setComplete(r.complete())
                .setBalanced(r.balanced()).setTransfersInFlight(r.transfersInFlight());
        r.missing().forEach(kind -> b.addMissing(ProtoMapping.wallet(kind)));
        for (SolvencyAudit.AssetLine a : r.assets()) {
            AssetAudit.Builder line = AssetAudit.newBuilder().setAsset(a.asset()).setDeposited(a.deposited())
                    .setWithdrawn(a.withdrawn()).setFunding(a.funding()).setInFlight(a.inFlight())
                    .setDifference(a.difference());
            a.products().forEach((kind, h) -> line.addProducts(ProductHoldings.newBuilder()
                    .setWallet(ProtoMapping.wallet(kind))
                    .setTotals(AssetTotals.newBuilder().setAsset(a.asset()).setAvailable(h.available())
                            .setLocked(h.locked()).setFees(h.fees()).setInsurance(h.insurance())
                            .setReserves(h.reserves()).setDeficits(h.deficits())
                            .setPositionCosts(h.positionCosts()).setSupplied(h.supplied())
                            .setBorrowed(h.borrowed()))));
            b.addAssets(line);
        }
        return b.build();
    }
}
