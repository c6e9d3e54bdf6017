package io.trademesh.futures.api;

import io.trademesh.futures.engine.ConditionalOrder;
import io.trademesh.futures.engine.Contract;
import io.trademesh.proto.futures.ConditionalOrderList;
import io.trademesh.proto.futures.ConditionalOrdersRequest;
import io.trademesh.futures.engine.FundingRecord;
import io.trademesh.futures.engine.FuturesEngine;
import io.trademesh.futures.engine.FuturesRejectReason;
import io.trademesh.futures.engine.FuturesTerms;
import io.trademesh.futures.engine.MarginAccount;
import io.trademesh.futures.engine.Position;
import io.trademesh.futures.store.FuturesProto;
import io.trademesh.futures.store.FuturesStateMachine;
import io.trademesh.platform.engine.CommandShard;
import io.trademesh.platform.engine.Outcome;
import io.trademesh.platform.errors.Refusals;
import io.trademesh.platform.trading.MarketSpec;
import io.trademesh.platform.trading.OrderChecks;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import io.trademesh.proto.futures.AccountRequest;
import io.trademesh.proto.futures.AdjustMarginRequest;
import io.trademesh.proto.futures.MarginReply;
import io.trademesh.proto.futures.SetMarginModeRequest;
import io.trademesh.proto.futures.CreateContractRequest;
import io.trademesh.proto.futures.FundingEvent;
import io.trademesh.proto.futures.FundingHistory;
import io.trademesh.proto.futures.FundingRequest;
import io.trademesh.proto.futures.FuturesAccount;
import io.trademesh.proto.futures.FuturesCommand;
import io.trademesh.proto.futures.FuturesServiceService;
import io.trademesh.proto.futures.InsuranceFund;
import io.trademesh.proto.futures.InsuranceFundRequest;
import io.trademesh.proto.futures.LeverageReply;
import io.trademesh.proto.futures.MarkPrice;
import io.trademesh.proto.futures.MarkPriceRequest;
import io.trademesh.proto.futures.PositionList;
import io.trademesh.proto.futures.PositionsRequest;
import io.trademesh.proto.futures.SetLeverageRequest;
import io.trademesh.proto.trading.MarketReply;
import io.vertx.core.Future;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Set;
import java.util.function.Function;

/**
 * futures' own gRPC calls ({@code trademesh.futures.FuturesService}): creating contracts,
 * leverage, and the reads of accounts, positions, mark prices, funding and the insurance
 * fund. Edge checks refuse with a status whose message starts with a reason code; an engine
 * refusal of a leverage change is a normal reply.
 */
public final class FuturesApi extends FuturesServiceService {

    private static final int DEFAULT_FUNDING_LIMIT = 100;
    private static final int MAX_FUNDING_LIMIT = 500;

    private final CommandShard<FuturesStateMachine, FuturesCommand, Outcome> shard;
    private final Set<String> markets;
    private final Function<MarketReply, Future<MarketReply>> onContractCreated;

    public FuturesApi(CommandShard<FuturesStateMachine, FuturesCommand, Outcome> shard, Set<String> markets,
                      Function<MarketReply, Future<MarketReply>> onContractCreated) {
        this.shard = shard;
        this.markets = markets;
        this.onContractCreated = onContractCreated;
    }

    /** What makes a contract definition unusable, said plainly, or null when it is fine. */
    static String inconsistency(Market market, long nowMs) {
        if (!OrderChecks.ID.matcher(market.getSymbol()).matches()) {
            return "symbol must be 1-64 of [A-Za-z0-9._:-]";
        }
        if (market.getProduct() != Product.PRODUCT_FUTURES || !market.hasFutures()) {
            return "a futures contract has product PRODUCT_FUTURES and its futures terms";
        }
        if (market.getMatchingMode() == io.trademesh.proto.common.MatchingMode.MATCHING_MODE_AUCTION) {
            return "futures trade continuously";
        }
        String bad = MarketSpec.inconsistency(market);
        if (bad != null) {
            return bad;
        }
        FuturesTerms terms;
        try {
            terms = FuturesProto.terms(market.getFutures());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return terms.invalid(nowMs);
    }

    @Override
    public Future<MarketReply> createContract(CreateContractRequest request) {
        String bad = inconsistency(request.getMarket(), System.currentTimeMillis());
        if (bad != null) {
            return Refusals.failed(GrpcStatus.INVALID_ARGUMENT, "INVALID_MARKET", bad);
        }
        return shard.submit(FuturesCommand.newBuilder().setCreateContract(request).build()).compose(o -> {
            if (!o.refused()) {
                return onContractCreated.apply((MarketReply) o.reply());
            }
            return Future.failedFuture(Refusals.of(o.refusal(), o.refusal() == FuturesRejectReason.MARKET_EXISTS
                    ? request.getMarket().getSymbol()
                    : "tick, lot, decimals, fees, brackets or terms are inconsistent"));
        });
    }

    @Override
    public Future<LeverageReply> setLeverage(SetLeverageRequest request) {
        var bad = OrderChecks.account(request.getAccountId());
        if (bad != null) {
            return Future.failedFuture(bad);
        }
        if (!markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        return shard.submit(FuturesCommand.newBuilder().setSetLeverage(request).build())
                .map(o -> (LeverageReply) o.reply());
    }

    @Override
    public Future<MarginReply> setMarginMode(SetMarginModeRequest request) {
        var bad = OrderChecks.account(request.getAccountId());
        if (bad != null) {
            return Future.failedFuture(bad);
        }
        if (!markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        return shard.submit(FuturesCommand.newBuilder().setSetMarginMode(request).build())
                .map(o -> (MarginReply) o.reply());
    }

    @Override
    public Future<MarginReply> adjustMargin(AdjustMarginRequest request) {
        var bad = OrderChecks.account(request.getAccountId());
        if (bad != null) {
            return Future.failedFuture(bad);
        }
        if (!markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        return shard.submit(FuturesCommand.newBuilder().setAdjustMargin(request).build())
                .map(o -> (MarginReply) o.reply());
    }

    @Override
    public Future<FuturesAccount> getAccount(AccountRequest request) {
        return shard.query(m -> {
            FuturesEngine e = m.engine();
            int asset = request.getAsset().isEmpty() ? (e.contracts().isEmpty() ? -1 : e.contracts().get(0).asset())
                    : e.assets().id(request.getAsset());
            return FuturesProto.account(e, request.getAccountId(), asset, System.currentTimeMillis());
        });
    }

    @Override
    public Future<PositionList> getPositions(PositionsRequest request) {
        if (!request.getMarket().isEmpty() && !markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        return shard.query(m -> {
            PositionList.Builder b = PositionList.newBuilder();
            MarginAccount a = m.engine().marginAccount(request.getAccountId());
            if (a != null) {
                long now = System.currentTimeMillis();
                for (Position p : a.positions()) {
                    if (p.size() != 0 && (request.getMarket().isEmpty()
                            || p.contract().spec().symbol().equals(request.getMarket()))) {
                        b.addPositions(FuturesProto.position(m.engine(), a, p, now));
                    }
                }
            }
            return b.build();
        });
    }

    @Override
    public Future<MarkPrice> getMarkPrice(MarkPriceRequest request) {
        if (!markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        return shard.query(m -> FuturesProto.markPrice(m.engine().contract(request.getMarket()),
                System.currentTimeMillis()));
    }

    @Override
    public Future<FundingHistory> getFundingHistory(FundingRequest request) {
        if (!markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        int limit = request.getLimit() == 0 ? DEFAULT_FUNDING_LIMIT : Math.min(request.getLimit(), MAX_FUNDING_LIMIT);
        return shard.query(m -> {
            Contract c = m.engine().contract(request.getMarket());
            FundingHistory.Builder b = FundingHistory.newBuilder();
            for (FundingRecord r : c.fundingHistory()) {
                if (b.getEventsCount() >= limit) {
                    break;
                }
                b.addEvents(FundingEvent.newBuilder().setMarket(request.getMarket()).setRateE8(r.rateE8())
                        .setMarkPrice(r.markPrice()).setTimestampMs(r.timestampMs()).setPaid(r.paid()));
            }
            return b.build();
        });
    }

    @Override
    public Future<InsuranceFund> getInsuranceFund(InsuranceFundRequest request) {
        return shard.query(m -> {
            FuturesEngine e = m.engine();
            int asset = e.contracts().isEmpty() ? -1 : e.contracts().get(0).asset();
            return asset < 0 ? InsuranceFund.getDefaultInstance()
                    : InsuranceFund.newBuilder().setAsset(e.assets().symbol(asset)).setBalance(e.insurance(asset))
                    .setDeficits(e.deficit(asset)).build();
        });
    }

    @Override
    public Future<ConditionalOrderList> listConditionalOrders(ConditionalOrdersRequest request) {
        if (!request.getMarket().isEmpty() && !markets.contains(request.getMarket())) {
            return unknownMarket(request.getMarket());
        }
        return shard.query(m -> {
            ConditionalOrderList.Builder b = ConditionalOrderList.newBuilder();
            long now = System.currentTimeMillis();
            for (Contract c : m.engine().contracts()) {
                if (!request.getMarket().isEmpty() && !c.spec().symbol().equals(request.getMarket())) {
                    continue;
                }
                for (ConditionalOrder o : c.conditionalOrders(request.getAccountId())) {
                    b.addOrders(FuturesProto.conditional(o, now));
                }
            }
            return b.build();
        });
    }

    private static <T> Future<T> unknownMarket(String market) {
        return Refusals.failed(GrpcStatus.NOT_FOUND, "UNKNOWN_MARKET", "no futures contract " + market);
    }
}
