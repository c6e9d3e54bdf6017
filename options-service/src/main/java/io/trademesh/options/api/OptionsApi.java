package io.trademesh.options.api;

import io.trademesh.options.engine.Expiry;
import io.trademesh.options.engine.Instrument;
import io.trademesh.options.engine.OptionsEngine;
import io.trademesh.options.engine.Underlying;
import io.trademesh.options.store.OptionsProto;
import io.trademesh.options.store.OptionsStateMachine;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.options.Chain;
import io.trademesh.proto.options.ChainReply;
import io.trademesh.proto.options.ChainRequest;
import io.trademesh.proto.options.CreateChainRequest;
import io.trademesh.proto.options.InsuranceFund;
import io.trademesh.proto.options.InsuranceFundList;
import io.trademesh.proto.options.InsuranceFundRequest;
import io.trademesh.proto.options.OptionTicker;
import io.trademesh.proto.options.OptionsAccount;
import io.trademesh.proto.options.OptionsCommand;
import io.trademesh.proto.options.OptionsServiceService;
import io.trademesh.proto.options.SetVolSliceRequest;
import io.trademesh.proto.options.TickerRequest;
import io.trademesh.proto.options.UnderlyingParams;
import io.trademesh.proto.options.UnderlyingRequest;
import io.trademesh.proto.options.AccountRequest;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Set;
import java.util.function.Function;

/**
 * options' own gRPC calls ({@code trademesh.options.OptionsService}): creating chains, setting
 * an underlying's rules and surface, and the reads of underlyings, chains, tickers, accounts
 * and the insurance fund. Edge checks refuse with a status whose message starts with a reason
 * code; an engine refusal carries its reason the same way.
 */
public final class OptionsApi extends OptionsServiceService {

    private final CommandShard<OptionsStateMachine, OptionsCommand, Outcome> shard;
    private final Set<String> markets;
    private final Function<ChainReply, Future<ChainReply>> onChainCreated;

    public OptionsApi(CommandShard<OptionsStateMachine, OptionsCommand, Outcome> shard, Set<String> markets,
                      Function<ChainReply, Future<ChainReply>> onChainCreated) {
        this.shard = shard;
        this.markets = markets;
        this.onChainCreated = onChainCreated;
    }

    /** What makes a chain definition unusable, said plainly, or null when it is fine. */
    static String inconsistency(CreateChainRequest r, long nowMs) {
        if (!r.hasTemplate()) {
            return "a chain needs its template market (underlying, quote, tick, contract size, fees)";
        }
        Market t = r.getTemplate();
        if (t.getBase().getSymbol().isEmpty() || !t.getBase().getSymbol().matches("[A-Z0-9]{1,16}")
                || t.getQuote().getSymbol().isEmpty()) {
            return "the underlying must be 1-16 of [A-Z0-9] and the quote asset given";
        }
        String bad = MarketSpec.inconsistency(t);
        if (bad != null) {
            return bad;
        }
        if (r.getExpiryMs() <= nowMs) {
            return "the expiry must be in the future";
        }
        if (r.getStrikesCount() == 0 || r.getStrikesCount() > OptionsEngine.MAX_STRIKES) {
            return "1 to " + OptionsEngine.MAX_STRIKES + " strikes";
        }
        for (long k : r.getStrikesList()) {
            if (k <= 0 || k > t.getMaxPrice()) {
                return "every strike must be positive and at most maxPrice";
            }
        }
        return null;
    }

    @Override
    public Future<ChainReply> createChain(CreateChainRequest request) {
        String bad = inconsistency(request, System.currentTimeMillis());
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_MARKET", bad);
        }
        return shard.submit(OptionsCommand.newBuilder().setCreateChain(request).build()).compose(o -> {
            if (!o.refused()) {
                return onChainCreated.apply((ChainReply) o.reply());
            }
            return Future.failedFuture(Refusals.of(o.refusal(), "strikes must be whole quote amounts, distinct;"
                    + " one quote and price scale per underlying; window 1 s .. 24 h, sample 100 ms .. window;"
                    + " or an instrument of the chain exists"));
        });
    }

    @Override
    public Future<io.trademesh.proto.options.Underlying> setUnderlying(UnderlyingParams request) {
        return submitForUnderlying(OptionsCommand.newBuilder().setSetUnderlying(request).build(),
                "margin ratios must satisfy 0 < c <= b <= a <= 1, fee 0..1000 bps, band 1..10000 bps");
    }

    @Override
    public Future<io.trademesh.proto.options.Underlying> setVolSlice(SetVolSliceRequest request) {
        return submitForUnderlying(OptionsCommand.newBuilder().setSetVolSlice(request).build(),
                "points need increasing positive strikes, volatilities in (0, 10], a future expiry, and total"
                        + " variance that does not fall with time (calendar arbitrage)");
    }

    private Future<io.trademesh.proto.options.Underlying> submitForUnderlying(OptionsCommand command, String rule) {
        return shard.submit(command).compose(o -> o.refused()
                ? Future.failedFuture(Refusals.of(o.refusal(), rule))
                : Future.succeededFuture((io.trademesh.proto.options.Underlying) o.reply()));
    }

    @Override
    public Future<io.trademesh.proto.options.Underlying> getUnderlying(UnderlyingRequest request) {
        return shard.query(m -> {
            Underlying u = m.engine().underlying(request.getUnderlying());
            return u == null ? null : OptionsProto.underlying(u, System.currentTimeMillis());
        }).compose(u -> u != null ? Future.succeededFuture(u) : unknownUnderlying(request.getUnderlying()));
    }

    @Override
    public Future<Chain> getChain(ChainRequest request) {
        return shard.query(m -> {
            Underlying u = m.engine().underlying(request.getUnderlying());
            if (u == null) {
                return null;
            }
            long now = System.currentTimeMillis();
            Chain.Builder all = Chain.newBuilder().setUnderlying(u.name()).setExpiryMs(request.getExpiryMs());
            for (Expiry e : u.expiries()) {
                if (request.getExpiryMs() == 0 || e.expiryMs() == request.getExpiryMs()) {
                    all.addAllTickers(OptionsProto.chain(e, now).getTickersList());
                }
            }
            return all.build();
        }).compose(c -> c != null ? Future.succeededFuture(c) : unknownUnderlying(request.getUnderlying()));
    }

    @Override
    public Future<OptionTicker> getTicker(TickerRequest request) {
        if (!markets.contains(request.getMarket())) {
            return Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_MARKET", "no option " + request.getMarket());
        }
        return shard.query(m -> {
            Instrument x = m.engine().instrument(request.getMarket());
            return OptionsProto.ticker(x, System.currentTimeMillis());
        });
    }

    @Override
    public Future<OptionsAccount> getAccount(AccountRequest request) {
        return shard.query(m -> {
            OptionsEngine e = m.engine();
            int asset = request.getAsset().isEmpty() ? (e.assets().count() == 0 ? -1 : 0)
                    : e.assets().id(request.getAsset());
            return asset < 0 ? OptionsAccount.newBuilder().setAccountId(request.getAccountId()).build()
                    : OptionsProto.account(e, request.getAccountId(), asset, System.currentTimeMillis());
        });
    }

    @Override
    public Future<InsuranceFundList> getInsuranceFund(InsuranceFundRequest request) {
        return shard.query(m -> {
            OptionsEngine e = m.engine();
            InsuranceFundList.Builder b = InsuranceFundList.newBuilder();
            for (int asset = 0; asset < e.assets().count(); asset++) {
                String symbol = e.assets().symbol(asset);
                if (request.getAsset().isEmpty() || request.getAsset().equals(symbol)) {
                    b.addFunds(InsuranceFund.newBuilder().setAsset(symbol).setBalance(e.insurance(asset))
                            .setDeficits(e.deficit(asset)));
                }
            }
            return b.build();
        });
    }

    private static <T> Future<T> unknownUnderlying(String name) {
        return Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_UNDERLYING", "no option chains on " + name);
    }
}
