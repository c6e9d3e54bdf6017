package io.trademesh.futures.store;

import io.trademesh.futures.engine.ConditionalOrder;
import io.trademesh.futures.engine.Contract;
import io.trademesh.platform.trading.TradingProto;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.trading.Conditional;
import io.trademesh.proto.trading.ConditionalKind;
import io.trademesh.proto.trading.TriggerPrice;
import io.trademesh.futures.engine.ContractKind;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.engine.FuturesTerms;
import io.trademesh.futures.engine.Margin;
import io.trademesh.futures.engine.MarginAccount;
import io.trademesh.futures.engine.MarginBrackets;
import io.trademesh.futures.engine.Position;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.MarginBracket;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.FuturesAccount;
import io.trademesh.proto.futures.MarkPrice;

/** Futures between the engine's types and protobuf: terms, contracts, positions, accounts, mark prices. */
public final class FuturesProto {

    public static final long DEFAULT_FUNDING_INTERVAL_MS = 8 * 3_600_000L;
    public static final long DEFAULT_INTEREST_E8 = 10_000;
    public static final long DEFAULT_FUNDING_CAP_E8 = 300_000;
    public static final long DEFAULT_SETTLEMENT_WINDOW_MS = 30 * 60_000L;
    public static final int DEFAULT_LIQUIDATION_FEE_BPS = 50;

    private FuturesProto() {
    }

    /**
     * The engine's terms from a contract definition, defaults filled in.
     *
     * @throws IllegalArgumentException when the brackets are inconsistent
     */
    public static FuturesTerms terms(io.trademesh.proto.common.FuturesTerms t) {
        int n = t.getBracketsCount();
        long[] caps = new long[n];
        int[] leverage = new int[n];
        int[] mmr = new int[n];
        for (int k = 0; k < n; k++) {
            MarginBracket b = t.getBrackets(k);
            caps[k] = b.getNotionalCap();
            leverage[k] = b.getMaxLeverage();
            mmr[k] = b.getMaintenanceMarginBps();
        }
        MarginBrackets brackets = MarginBrackets.of(caps, leverage, mmr);
        for (int k = 0; k < n; k++) {
            long given = t.getBrackets(k).getMaintenanceDeduction();
            if (given != 0 && given != brackets.deduction(k)) {
                throw new IllegalArgumentException("bracket " + k + " deduction must be " + brackets.deduction(k));
            }
        }
        ContractKind kind = switch (t.getKind()) {
            case CONTRACT_KIND_PERPETUAL -> ContractKind.PERPETUAL;
            case CONTRACT_KIND_DATED -> ContractKind.DATED;
            default -> throw new IllegalArgumentException("kind must be PERPETUAL or DATED");
        };
        return new FuturesTerms(kind, t.getExpiryMs(),
                t.getFundingIntervalMs() == 0 ? DEFAULT_FUNDING_INTERVAL_MS : t.getFundingIntervalMs(),
                t.getInterestRateE8() == 0 ? DEFAULT_INTEREST_E8 : t.getInterestRateE8(),
                t.getFundingCapE8() == 0 ? DEFAULT_FUNDING_CAP_E8 : t.getFundingCapE8(),
                t.getImpactNotional(),
                t.getSettlementWindowMs() == 0 ? DEFAULT_SETTLEMENT_WINDOW_MS : t.getSettlementWindowMs(),
                t.getLiquidationFeeBps() == 0 ? DEFAULT_LIQUIDATION_FEE_BPS : t.getLiquidationFeeBps(), brackets);
    }

    public static io.trademesh.proto.common.FuturesTerms terms(FuturesTerms t) {
        io.trademesh.proto.common.FuturesTerms.Builder b = io.trademesh.proto.common.FuturesTerms.newBuilder()
                .setKind(t.kind() == ContractKind.PERPETUAL ? io.trademesh.proto.common.ContractKind.CONTRACT_KIND_PERPETUAL
                        : io.trademesh.proto.common.ContractKind.CONTRACT_KIND_DATED)
                .setImpactNotional(t.impactNotional())
                .setLiquidationFeeBps(t.liquidationFeeBps());
        if (t.kind() == ContractKind.PERPETUAL) {
            b.setFundingIntervalMs(t.fundingIntervalMs()).setInterestRateE8(t.interestRateE8())
                    .setFundingCapE8(t.fundingCapE8());
        } else {
            b.setExpiryMs(t.expiryMs()).setSettlementWindowMs(t.settlementWindowMs());
        }
        MarginBrackets brackets = t.brackets();
        for (int k = 0; k < brackets.size(); k++) {
            b.addBrackets(MarginBracket.newBuilder().setNotionalCap(brackets.cap(k))
                    .setMaxLeverage(brackets.maxLeverage(k)).setMaintenanceMarginBps(brackets.mmrBps(k))
                    .setMaintenanceDeduction(brackets.deduction(k)));
        }
        return b.build();
    }

    public static Market market(Contract c) {
        return c.spec().toProto(Product.PRODUCT_FUTURES).setFutures(terms(c.terms())).build();
    }

    public static io.trademesh.proto.common.Position position(FuturesEngine engine, MarginAccount a, Position p,
                                                              long nowMs) {
        Contract c = p.contract();
        int leverage = engine.leverage(a, c);
        long size = p.size();
        io.trademesh.proto.common.Position.Builder b = io.trademesh.proto.common.Position.newBuilder()
                .setAccountId(a.accountId())
                .setMarket(c.spec().symbol())
                .setSize(size)
                .setMarkPrice(c.markPrice())
                .setRealizedPnl(p.realisedPnl())
                .setFundingPaid(p.fundingPaid())
                .setLeverage(leverage)
                .setIsolated(p.isolated())
                .setIsolatedMargin(p.isolatedMargin())
                .setTimestampMs(nowMs);
        if (size != 0) {
            double liquidation = engine.margin().liquidationPrice(a, p);
            b.setEntryPrice(io.trademesh.platform.trading.FixedPoint.mulDivFloor(Math.abs(p.cost()),
                            c.book().config().notionalDivisor(), Math.abs(size)))
                    .setUnrealizedPnl(Margin.unrealised(p))
                    .setNotional(engine.notionalAtMark(p))
                    .setInitialMargin(Margin.positionInitial(p, leverage))
                    .setMaintenanceMargin(Margin.maintenance(p))
                    .setLiquidationPrice(liquidation > 0 && liquidation < Long.MAX_VALUE / 4 ? Math.round(liquidation) : 0)
                    .setBankruptcyPrice(engine.margin().bankruptcyPrice(a, p))
                    .setAdlBucket(engine.adlBucket(p))
                    .setMarginRatioBps(p.isolated() ? ratio(Margin.maintenance(p), Margin.isolatedEquity(p))
                            : ratio(engine.margin().maintenance(a, c.asset()), engine.margin().equity(a, c.asset())));
        }
        return b.build();
    }

    /** Maintenance over margin balance in bps; the largest int when the balance is gone. */
    static int ratio(long maintenance, long equity) {
        return equity <= 0 ? (maintenance > 0 ? Integer.MAX_VALUE : 0)
                : (int) Math.min(Integer.MAX_VALUE, maintenance * 10_000 / equity);
    }

    public static FuturesAccount account(FuturesEngine engine, long accountId, int asset, long nowMs) {
        FuturesAccount.Builder b = FuturesAccount.newBuilder().setAccountId(accountId)
                .setAsset(asset < 0 ? "" : engine.assets().symbol(asset));
        MarginAccount a = engine.marginAccount(accountId);
        if (asset < 0) {
            return b.build();
        }
        long available = engine.wallets().available(accountId, asset);
        long isolated = engine.wallets().locked(accountId, asset);
        b.setWalletBalance(available + isolated).setMarginBalance(available + isolated).setAvailable(available);
        if (a == null) {
            return b.build();
        }
        // Cross: the pool's equity and margins; isolated positions add their own margin and PnL.
        Margin m = engine.margin();
        long equity = m.equity(a, asset);
        long maintenance = m.maintenance(a, asset);
        long initial = m.initial(a, asset);
        long unrealised = m.unrealised(a, asset);
        long isolatedMaintenance = 0;
        for (Position p : a.positions()) {
            if (p.isolated() && p.size() != 0 && p.contract().asset() == asset) {
                unrealised += Margin.unrealised(p);
                isolatedMaintenance += Margin.maintenance(p);
            }
        }
        b.setUnrealizedPnl(unrealised).setMarginBalance(available + isolated + unrealised)
                .setInitialMargin(initial + isolated).setMaintenanceMargin(maintenance + isolatedMaintenance)
                .setAvailable(Math.min(available, equity - initial))
                .setMarginRatioBps(ratio(maintenance, equity));
        for (Position p : a.positions()) {
            if (p.contract().asset() == asset && p.size() != 0) {
                b.addPositions(position(engine, a, p, nowMs));
            }
        }
        return b.build();
    }

    /** A held conditional order as an order, with {@code status} and the time of this change. */
    public static io.trademesh.proto.common.Order order(ConditionalOrder o, OrderStatus status, long nowMs) {
        return io.trademesh.proto.common.Order.newBuilder()
                .setOrderId(o.id()).setClientOrderId(o.clientOrderId()).setAccountId(o.accountId())
                .setMarket(o.contract().spec().symbol()).setSide(TradingProto.side(o.side()))
                .setType(TradingProto.type(o.type())).setTimeInForce(TradingProto.timeInForce(o.timeInForce()))
                .setPrice(o.price()).setQuantity(o.quantity()).setStp(TradingProto.stp(o.stp())).setStatus(status)
                .setCreatedAtMs(o.createdMs()).setUpdatedAtMs(nowMs).build();
    }

    public static ConditionalOrder.Kind kind(ConditionalKind k) {
        return switch (k) {
            case CONDITIONAL_STOP -> ConditionalOrder.Kind.STOP;
            case CONDITIONAL_TAKE_PROFIT -> ConditionalOrder.Kind.TAKE_PROFIT;
            case CONDITIONAL_TRAILING_STOP -> ConditionalOrder.Kind.TRAILING_STOP;
            default -> null;
        };
    }

    public static io.trademesh.proto.futures.ConditionalOrder conditional(ConditionalOrder o, long nowMs) {
        ConditionalKind kind = switch (o.kind()) {
            case STOP -> ConditionalKind.CONDITIONAL_STOP;
            case TAKE_PROFIT -> ConditionalKind.CONDITIONAL_TAKE_PROFIT;
            case TRAILING_STOP -> ConditionalKind.CONDITIONAL_TRAILING_STOP;
        };
        return io.trademesh.proto.futures.ConditionalOrder.newBuilder()
                .setOrder(order(o, OrderStatus.ORDER_STATUS_NEW, o.createdMs()))
                .setConditional(Conditional.newBuilder().setKind(kind).setTriggerPrice(o.triggerPrice())
                        .setTriggerBy(o.byLastPrice() ? TriggerPrice.TRIGGER_PRICE_LAST : TriggerPrice.TRIGGER_PRICE_MARK)
                        .setCallbackBps(o.callbackBps()))
                .setActivated(o.activated()).setExtremePrice(o.extreme()).setReduceOnly(o.reduceOnly()).build();
    }

    public static MarkPrice markPrice(Contract c, long nowMs) {
        return MarkPrice.newBuilder()
                .setMarket(c.spec().symbol())
                .setMarkPrice(c.markPrice())
                .setIndexPrice(c.indexPrice())
                .setLastPrice(c.book().lastTradePrice())
                .setLastFundingRateE8(c.lastFundingRateE8())
                .setEstimatedFundingRateE8(c.estimatedFundingRateE8())
                .setNextFundingMs(c.terms().kind() == ContractKind.PERPETUAL ? c.nextFundingMs() : c.terms().expiryMs())
                .setIndexFresh(c.indexFresh(nowMs))
                .setTimestampMs(nowMs)
                .setOpenInterest(c.openInterest())
                .setSettled(c.settled())
                .setSettlementPrice(c.settlementPrice())
                .build();
    }
}
