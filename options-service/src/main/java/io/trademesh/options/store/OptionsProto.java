package io.trademesh.options.store;

import io.trademesh.options.engine.Expiry;
import io.trademesh.options.engine.Instrument;
import io.trademesh.options.engine.MarginAccount;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.engine.Position;
import io.trademesh.options.engine.Underlying;
import io.trademesh.options.engine.UnderlyingTerms;
import io.trademesh.options.pricing.ChainPricer;
import io.trademesh.options.pricing.VolSlice;
import io.trademesh.matching.OrderBook;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.OptionPosition;
import io.trademesh.proto.common.OptionTerms;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.options.Chain;
import io.trademesh.proto.options.OptionTicker;
import io.trademesh.proto.options.OptionsAccount;
import io.trademesh.proto.options.UnderlyingParams;

/**
 * Options between the engine's types and protobuf: instruments, tickers with greeks, chains,
 * positions, accounts, underlyings. Greeks and volatilities are the model's doubles; NaN (no
 * volatility, no quote) is shown as 0. The model prices in price units; greeks are shown in
 * the quote asset per whole underlying unit: delta as is, gamma per 1.00 of the index, vega
 * per volatility point, theta per day.
 */
public final class OptionsProto {

    private OptionsProto() {
    }

    public static Market market(Instrument x) {
        Expiry e = x.expiry();
        return x.spec().toProto(Product.PRODUCT_OPTIONS).setOption(OptionTerms.newBuilder().setCall(x.call())
                .setStrike(x.strike()).setExpiryMs(e.expiryMs()).setSettlementWindowMs(e.windowMs())
                .setSettlementSampleMs(e.sampleMs())).build();
    }

    public static UnderlyingTerms terms(UnderlyingParams p) {
        UnderlyingTerms d = UnderlyingTerms.DEFAULT;
        return new UnderlyingTerms(p.getInitialBaseE9(), p.getInitialFloorE9(), p.getMaintenanceE9(),
                p.getLiquidationFeeBps() == 0 ? d.liquidationFeeBps() : p.getLiquidationFeeBps(),
                p.getPriceBandBps() == 0 ? d.priceBandBps() : p.getPriceBandBps(),
                p.getBandFloorBps() == 0 ? d.bandFloorBps() : p.getBandFloorBps());
    }

    public static VolSlice slice(io.trademesh.proto.options.VolSlice s) {
        long[] strikes = s.getStrikesList().stream().mapToLong(Long::longValue).toArray();
        long[] vols = s.getVolsE9List().stream().mapToLong(Long::longValue).toArray();
        return new VolSlice(s.getExpiryMs(), strikes, vols);
    }

    public static io.trademesh.proto.options.Underlying underlying(Underlying u, long nowMs) {
        UnderlyingTerms t = u.terms();
        var b = io.trademesh.proto.options.Underlying.newBuilder()
                .setParams(UnderlyingParams.newBuilder().setUnderlying(u.name()).setQuote(u.quote())
                        .setInitialBaseE9(t.initialBase()).setInitialFloorE9(t.initialFloor())
                        .setMaintenanceE9(t.maintenance()).setLiquidationFeeBps(t.liquidationFeeBps())
                        .setPriceBandBps(t.priceBandBps()).setBandFloorBps(t.bandFloorBps()))
                .setIndexPrice(u.indexPrice()).setIndexAtMs(u.indexAtMs()).setIndexFresh(u.indexFresh(nowMs));
        for (VolSlice s : u.surface().slices()) {
            var slice = io.trademesh.proto.options.VolSlice.newBuilder().setExpiryMs(s.expiryMs());
            for (int i = 0; i < s.strikes().length; i++) {
                slice.addStrikes(s.strikes()[i]).addVolsE9(s.volsE9()[i]);
            }
            b.addSurface(slice);
        }
        for (Expiry e : u.expiries()) {
            b.addExpiries(e.expiryMs());
        }
        return b.build();
    }

    private static double shown(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? 0 : v;
    }

    public static OptionTicker ticker(Instrument x, long nowMs) {
        Expiry e = x.expiry();
        Underlying u = e.underlying();
        ChainPricer p = e.pricer();
        int i = x.slot();
        OrderBook book = x.book();
        OptionTicker.Builder b = OptionTicker.newBuilder().setMarket(x.spec().symbol()).setUnderlying(u.name())
                .setCall(x.call()).setStrike(x.strike()).setExpiryMs(e.expiryMs()).setIndexPrice(u.indexPrice())
                .setMarkPrice(x.priced() || e.settled() ? x.markPrice() : 0)
                .setBestBid(book.bestBidPrice()).setBestAsk(book.bestAskPrice())
                .setOpenInterest(x.openInterest()).setSettled(e.settled()).setSettlementPrice(e.settlementPrice())
                .setIndexFresh(u.indexFresh(nowMs)).setTimestampMs(nowMs);
        if (!e.settled() && i < p.size) {
            double unit = Math.pow(10, x.spec().priceScale());
            b.setMarkIv(shown(p.markIv[i])).setBidIv(shown(p.bidIv[i])).setAskIv(shown(p.askIv[i]))
                    .setDelta(shown(p.delta[i])).setGamma(shown(p.gamma[i]) * unit)
                    .setVega(shown(p.vega[i]) / unit).setTheta(shown(p.theta[i]) / unit);
        }
        if (e.inWindow(nowMs)) {
            b.setEstimatedSettlementPrice(e.estimatedSettlement());
        }
        return b.build();
    }

    public static Chain chain(Expiry e, long nowMs) {
        Chain.Builder b = Chain.newBuilder().setUnderlying(e.underlying().name()).setExpiryMs(e.expiryMs());
        for (Instrument x : e.instruments()) {
            b.addTickers(ticker(x, nowMs));
        }
        return b.build();
    }

    /** One greek of a position: per whole base unit times the size in whole units. */
    private static double greek(double perUnit, Position p) {
        return shown(perUnit) * p.size() / Math.pow(10, p.instrument().spec().baseDecimals());
    }

    public static OptionPosition position(OptionsEngine engine, Position p, long nowMs) {
        Instrument x = p.instrument();
        Expiry e = x.expiry();
        long value = p.size() >= 0 ? valueOf(x, p.size()) : -valueOf(x, -p.size());
        OptionPosition.Builder b = OptionPosition.newBuilder().setAccountId(p.accountId()).setMarket(x.spec().symbol())
                .setSize(p.size()).setMarkPrice(x.markPrice()).setValue(value)
                .setUnrealizedPnl(p.size() == 0 ? 0 : value - p.cost()).setRealizedPnl(p.realisedPnl())
                .setInitialMargin(engine.initial(p)).setMaintenanceMargin(engine.maintenance(p))
                .setTimestampMs(nowMs);
        if (p.size() != 0) {
            b.setAveragePrice(io.trademesh.platform.trading.FixedPoint.mulDivFloor(Math.abs(p.cost()),
                    x.book().config().notionalDivisor(), Math.abs(p.size())));
        }
        ChainPricer pr = e.pricer();
        if (!e.settled() && x.slot() < pr.size && p.size() != 0) {
            double unit = Math.pow(10, x.spec().priceScale());
            b.setDelta(greek(pr.delta[x.slot()], p)).setGamma(greek(pr.gamma[x.slot()], p) * unit)
                    .setVega(greek(pr.vega[x.slot()], p) / unit).setTheta(greek(pr.theta[x.slot()], p) / unit);
        }
        return b.build();
    }

    private static long valueOf(Instrument x, long quantity) {
        return io.trademesh.platform.trading.FixedPoint.mulDivFloor(x.markPrice(), quantity,
                x.book().config().notionalDivisor());
    }

    public static OptionsAccount account(OptionsEngine engine, long accountId, int asset, long nowMs) {
        OptionsAccount.Builder b = OptionsAccount.newBuilder().setAccountId(accountId)
                .setAsset(engine.assets().symbol(asset));
        long wallet = engine.wallets().available(accountId, asset);
        b.setWalletBalance(wallet);
        MarginAccount a = engine.marginAccount(accountId);
        long value = 0;
        double delta = 0;
        double gamma = 0;
        double vega = 0;
        double theta = 0;
        if (a != null) {
            for (Position p : a.positions()) {
                if (p.instrument().expiry().underlying().quote().equals(b.getAsset())) {
                    OptionPosition shown = position(engine, p, nowMs);
                    if (p.size() != 0) {
                        b.addPositions(shown);
                    }
                    value += shown.getValue();
                    delta += shown.getDelta();
                    gamma += shown.getGamma();
                    vega += shown.getVega();
                    theta += shown.getTheta();
                }
            }
            b.setInitialMargin(engine.initial(a, asset)).setMaintenanceMargin(engine.maintenance(a, asset));
        }
        return b.setPositionsValue(value).setEquity(wallet + value)
                .setAvailable(Math.max(0, wallet - b.getInitialMargin()))
                .setDelta(delta).setGamma(gamma).setVega(vega).setTheta(theta).build();
    }
}
