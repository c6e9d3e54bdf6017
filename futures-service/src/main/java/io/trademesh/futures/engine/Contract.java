package io.trademesh.futures.engine;

import io.trademesh.matching.LevelVisitor;
import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.Side;
import io.trademesh.platform.trading.FixedPoint;
import io.trademesh.platform.trading.MarketSpec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * One futures contract inside the engine: its definition, book, index and mark price, the
 * premium and basis samples behind funding and mark, its funding history or settlement, and
 * its positions with the liquidation index.
 *
 * <h2>Mark price</h2>
 * The median of (a) {@code index x (1 + last funding rate x time to next funding / interval)}
 * (dated: the index), (b) {@code index + the average of (mid - index)} over the last
 * {@link #BASIS_SAMPLES} samples, one every {@link #SAMPLE_INTERVAL_MS}, and (c) the last
 * trade price (the index before the first trade).
 *
 * <h2>Funding</h2>
 * Every sample adds a premium {@code (max(0, impact bid - index) - max(0, index - impact ask)) / index},
 * where the impact prices are the average prices of selling or buying the impact notional
 * into the book (a side too thin for it adds nothing). At each funding time the rate is
 * {@code P + clamp(interest - P, +-0.05%)} for P the average premium of the interval, capped.
 */
public final class Contract {

    public static final long SAMPLE_INTERVAL_MS = 5_000;
    /** 60 samples of 5 s: the basis is averaged over the last 5 minutes. */
    public static final int BASIS_SAMPLES = 60;
    /** An index older than this is stale: orders that add risk are refused and liquidations wait. */
    public static final long INDEX_STALE_MS = 30_000;
    public static final int FUNDING_HISTORY = 500;
    public static final int DEFAULT_LEVERAGE = 20;

    final int id;
    final MarketSpec spec;
    final FuturesTerms terms;
    final OrderBook book;
    final MarketConfig config;
    /** The collateral (quote) asset's wallet id. */
    final int asset;

    long indexPrice;
    long indexAtMs = Long.MIN_VALUE / 2;
    long markPrice;
    long lastFundingRateE8;
    long nextFundingMs;
    long nextSampleMs;
    long premiumSumE8;
    int premiumCount;
    final long[] basis = new long[BASIS_SAMPLES];
    int basisCount;
    int basisNext;
    long settlementSum;
    int settlementCount;
    boolean settled;
    long settlementPrice;
    final ArrayDeque<FundingRecord> funding = new ArrayDeque<>();

    /** Held conditional orders. */
    final ConditionalBook conditionals = new ConditionalBook();
    /** The last trade price the triggers were last looked at with (not state: looking again changes nothing). */
    long lastTriggerTrade = -1;

    /** The open positions (size not 0) of the contract, by account: funding and ADL walk them in this order. */
    final TreeMap<Long, Position> positions = new TreeMap<>();
    /** Longs and shorts by liquidation key, in buckets of 1/100,000 of the max price (at least a tick). */
    final LiquidationIndex longs;
    final LiquidationIndex shorts;

    Contract(int id, MarketSpec spec, FuturesTerms terms, OrderBook book, int asset, long nowMs) {
        this.id = id;
        this.spec = spec;
        this.terms = terms;
        this.book = book;
        this.config = book.config();
        this.asset = asset;
        long width = Math.max(config.tickSize(), config.maxPrice() / 100_000);
        this.longs = new LiquidationIndex(true, width);
        this.shorts = new LiquidationIndex(false, width);
        this.nextSampleMs = nowMs + SAMPLE_INTERVAL_MS;
        this.nextFundingMs = terms.kind() == ContractKind.PERPETUAL
                ? (Math.floorDiv(nowMs, terms.fundingIntervalMs()) + 1) * terms.fundingIntervalMs() : terms.expiryMs();
    }

    public int id() {
        return id;
    }

    public MarketSpec spec() {
        return spec;
    }

    public FuturesTerms terms() {
        return terms;
    }

    /** Read-only use: views and queries. Commands go through {@link FuturesEngine}. */
    public OrderBook book() {
        return book;
    }

    /** The collateral asset's wallet id. */
    public int asset() {
        return asset;
    }

    public long indexPrice() {
        return indexPrice;
    }

    public long markPrice() {
        return markPrice;
    }

    public long lastFundingRateE8() {
        return lastFundingRateE8;
    }

    public long nextFundingMs() {
        return nextFundingMs;
    }

    public boolean settled() {
        return settled;
    }

    public long settlementPrice() {
        return settlementPrice;
    }

    public Iterable<FundingRecord> fundingHistory() {
        return funding::descendingIterator;
    }

    public Iterable<ConditionalOrder> conditionalOrders() {
        return conditionals.all();
    }

    /** The conditional orders one account holds in this contract, ascending id. */
    public Iterable<ConditionalOrder> conditionalOrders(long accountId) {
        return conditionals.ofAccount(accountId);
    }

    public Iterable<Position> positions() {
        return positions.values();
    }

    public boolean indexFresh(long nowMs) {
        return indexPrice > 0 && nowMs - indexAtMs <= INDEX_STALE_MS;
    }

    /** Trading has ended: a dated contract at or after its expiry. */
    public boolean expired(long nowMs) {
        return settled || (terms.kind() == ContractKind.DATED && nowMs >= terms.expiryMs());
    }

    int defaultLeverage() {
        return Math.min(DEFAULT_LEVERAGE, terms.brackets().maxLeverage(0));
    }

    /** Base units long, one side. */
    public long openInterest() {
        long oi = 0;
        for (Position p : positions.values()) {
            if (p.size > 0) {
                oi += p.size;
            }
        }
        return oi;
    }

    // ---------------------------------------------------------------- valuation

    /** The signed quote value of {@code size} at {@code price}, rounded down (a short's value is rounded away from 0). */
    long value(long price, long size) {
        return FixedPoint.mulDivFloor(price, size, config.notionalDivisor());
    }

    /** The unsigned notional of {@code size} at the mark, rounded up: what margin is computed on. */
    long notionalAtMark(long size) {
        return FixedPoint.mulDivCeil(markPrice, Math.abs(size), config.notionalDivisor());
    }

    long clampPrice(long price) {
        return Math.max(1, Math.min(price, config.maxPrice()));
    }

    // ---------------------------------------------------------------- index, samples, mark

    /** A new index price (at the contract's price scale), received at {@code nowMs}. */
    void onIndex(long nowMs, long price) {
        indexPrice = price;
        indexAtMs = nowMs;
        updateMark(nowMs);
    }

    /** Takes one sample: premium (perpetual), basis, and the index in a dated contract's settlement window. */
    void sample(long nowMs) {
        if (!indexFresh(nowMs)) {
            return;
        }
        if (terms.kind() == ContractKind.PERPETUAL) {
            long impactBid = impactPrice(Side.BUY);
            long impactAsk = impactPrice(Side.SELL);
            long up = impactBid > 0 ? Math.max(0, impactBid - indexPrice) : 0;
            long down = impactAsk > 0 ? Math.max(0, indexPrice - impactAsk) : 0;
            premiumSumE8 += FixedPoint.mulDivFloor(up - down, FuturesTerms.E8, indexPrice);
            premiumCount++;
        }
        long bid = book.bestBidPrice();
        long ask = book.bestAskPrice();
        if (bid > 0 && ask > 0) {
            basis[basisNext] = bid + (ask - bid) / 2 - indexPrice;
            basisNext = (basisNext + 1) % BASIS_SAMPLES;
            basisCount = Math.min(basisCount + 1, BASIS_SAMPLES);
        }
        if (terms.kind() == ContractKind.DATED && nowMs >= terms.expiryMs() - terms.settlementWindowMs()) {
            settlementSum += indexPrice;
            settlementCount++;
        }
    }

    /**
     * The average price of selling ({@code BUY}: into the bids) or buying ({@code SELL}: from
     * the asks) the impact notional; 0 when that side is too thin for it.
     */
    long impactPrice(Side side) {
        ImpactWalk walk = new ImpactWalk(terms.impactNotional(), config);
        book.levels(side, Integer.MAX_VALUE, walk);
        return walk.reached ? FixedPoint.mulDivFloor(walk.notional, config.notionalDivisor(), walk.quantity) : 0;
    }

    private static final class ImpactWalk implements LevelVisitor {
        final long target;
        final MarketConfig config;
        long notional;
        long quantity;
        boolean reached;

        ImpactWalk(long target, MarketConfig config) {
            this.target = target;
            this.config = config;
        }

        @Override
        public void onLevel(Side side, long price, long totalQuantity, int orderCount) {
            if (reached) {
                return;
            }
            long levelNotional = config.notional(price, totalQuantity);
            if (notional + levelNotional >= target) {
                long need = FixedPoint.mulDivCeil(target - notional, config.notionalDivisor(), price);
                quantity += Math.min(totalQuantity, Math.max(need, 1));
                notional += config.notional(price, Math.min(totalQuantity, Math.max(need, 1)));
                reached = true;
            } else {
                quantity += totalQuantity;
                notional += levelNotional;
            }
        }
    }

    /** The funding rate of the premiums sampled so far in this interval. */
    public long estimatedFundingRateE8() {
        if (terms.kind() != ContractKind.PERPETUAL) {
            return 0;
        }
        long premium = premiumCount == 0 ? 0 : Math.floorDiv(premiumSumE8, premiumCount);
        long clamp = Math.max(-FuturesTerms.INTEREST_CLAMP_E8,
                Math.min(FuturesTerms.INTEREST_CLAMP_E8, terms.interestRateE8() - premium));
        long rate = premium + clamp;
        return Math.max(-terms.fundingCapE8(), Math.min(terms.fundingCapE8(), rate));
    }

    /** Recomputes the mark from the index, the basis average and the last trade; 0 until an index arrives. */
    void updateMark(long nowMs) {
        if (indexPrice <= 0) {
            markPrice = 0;
            return;
        }
        long a = indexPrice;
        if (terms.kind() == ContractKind.PERPETUAL) {
            long toNext = Math.max(0, nextFundingMs - nowMs);
            a = indexPrice + FixedPoint.mulDivFloor(FixedPoint.mulDivFloor(indexPrice, lastFundingRateE8,
                    FuturesTerms.E8), toNext, terms.fundingIntervalMs());
        }
        long sum = 0;
        for (int i = 0; i < basisCount; i++) {
            sum += basis[i];
        }
        long b = basisCount == 0 ? indexPrice : indexPrice + Math.floorDiv(sum, basisCount);
        long last = book.lastTradePrice();
        long c = last > 0 ? last : indexPrice;
        markPrice = clampPrice(Math.max(Math.min(a, b), Math.min(Math.max(a, b), c)));
    }

    /** Starts the next funding interval after a settlement at {@code nowMs}. */
    void fundingSettled(long nowMs, FundingRecord record) {
        lastFundingRateE8 = record.rateE8();
        premiumSumE8 = 0;
        premiumCount = 0;
        nextFundingMs = (Math.floorDiv(nowMs, terms.fundingIntervalMs()) + 1) * terms.fundingIntervalMs();
        funding.addLast(record);
        if (funding.size() > FUNDING_HISTORY) {
            funding.removeFirst();
        }
    }

    /** The settlement price of an expired dated contract: the window's average index, else the last index. */
    long settlementPriceNow() {
        return settlementCount > 0 ? clampPrice(settlementSum / settlementCount) : indexPrice;
    }

    // ---------------------------------------------------------------- liquidation index

    /** Leaves the liquidation index (before its key or size changes). */
    void unindex(Position p) {
        if (p.indexedSide != 0) {
            (p.indexedSide > 0 ? longs : shorts).remove(p); // the side it joined under: its size may have flipped since
            p.indexedSide = 0;
        }
    }

    /** Joins the index under {@code key} when it has a size. */
    void index(Position p, long key) {
        if (p.indexedSide != 0 && (p.indexedSide > 0) == (p.size > 0)) {
            (p.size > 0 ? longs : shorts).move(p, key); // the same side: cheap when the bucket holds
            return;
        }
        unindex(p);
        p.liquidationKey = key;
        if (p.size != 0) {
            (p.size > 0 ? longs : shorts).add(p);
            p.indexedSide = p.size > 0 ? 1 : -1;
        }
    }

    /** Calls {@code visitor} with each position whose liquidation key the mark has crossed. */
    void candidates(java.util.function.Consumer<Position> visitor) {
        longs.crossed(markPrice, visitor);
        shorts.crossed(markPrice, visitor);
    }

    // ---------------------------------------------------------------- snapshot

    /** The price and funding state (the book, spec and positions are written by the engine). */
    void writeState(DataOutput out) throws IOException {
        out.writeLong(indexPrice);
        out.writeLong(indexAtMs);
        out.writeLong(markPrice);
        out.writeLong(lastFundingRateE8);
        out.writeLong(nextFundingMs);
        out.writeLong(nextSampleMs);
        out.writeLong(premiumSumE8);
        out.writeInt(premiumCount);
        out.writeInt(basisCount);
        out.writeInt(basisNext);
        for (long b : basis) {
            out.writeLong(b);
        }
        out.writeLong(settlementSum);
        out.writeInt(settlementCount);
        out.writeBoolean(settled);
        out.writeLong(settlementPrice);
        out.writeInt(funding.size());
        for (FundingRecord r : funding) {
            out.writeLong(r.timestampMs());
            out.writeLong(r.rateE8());
            out.writeLong(r.markPrice());
            out.writeLong(r.paid());
        }
    }

    void readState(DataInput in) throws IOException {
        indexPrice = in.readLong();
        indexAtMs = in.readLong();
        markPrice = in.readLong();
        lastFundingRateE8 = in.readLong();
        nextFundingMs = in.readLong();
        nextSampleMs = in.readLong();
        premiumSumE8 = in.readLong();
        premiumCount = in.readInt();
        basisCount = in.readInt();
        basisNext = in.readInt();
        for (int i = 0; i < BASIS_SAMPLES; i++) {
            basis[i] = in.readLong();
        }
        settlementSum = in.readLong();
        settlementCount = in.readInt();
        settled = in.readBoolean();
        settlementPrice = in.readLong();
        funding.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            funding.addLast(new FundingRecord(in.readLong(), in.readLong(), in.readLong(), in.readLong()));
        }
    }
}
