package io.trademesh.platform.trading;

import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.MatchingMode;
import io.trademesh.proto.common.Asset;
import io.trademesh.proto.common.Market;
import io.trademesh.proto.common.Product;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * An order-book market as an operator defines it, in every order-book product (a futures
 * contract adds its own terms to this). Quantities are base-asset units, wallet amounts
 * asset units, prices integers at {@code priceScale} decimals; the notional divisor follows:
 * {@code 10^(priceScale + baseDecimals - quoteDecimals)}.
 */
public record MarketSpec(
        String symbol,
        String baseAsset,
        int baseDecimals,
        String quoteAsset,
        int quoteDecimals,
        int priceScale,
        long tickSize,
        long lotSize,
        long minQuantity,
        long maxQuantity,
        long maxPrice,
        long minNotional,
        int makerFeeBps,
        int takerFeeBps,
        int priceBandBps,
        int maxOpenOrdersPerAccount,
        MatchingMode matchingMode,
        long auctionIntervalMs) {

    /** What a market allows when its definition leaves max open orders per account at 0. */
    public static final int DEFAULT_MAX_OPEN_ORDERS = 1_000;

    /** {@code 10^(priceScale + baseDecimals - quoteDecimals)}, or -1 when that is not a whole number that fits. */
    public long notionalDivisor() {
        int exp = priceScale + baseDecimals - quoteDecimals;
        if (exp < 0 || exp > 18) {
            return -1;
        }
        long d = 1;
        for (int i = 0; i < exp; i++) {
            d *= 10;
        }
        return d;
    }

    /**
     * The book's configuration for market {@code id}.
     *
     * @throws IllegalArgumentException when the definition is inconsistent (tick, lot, decimals, fees ...)
     */
    public MarketConfig toConfig(int id) {
        if (symbol == null || symbol.isEmpty() || baseAsset == null || quoteAsset == null
                || baseAsset.equals(quoteAsset) || baseDecimals < 0 || quoteDecimals < 0 || priceScale < 0) {
            throw new IllegalArgumentException("names or decimals");
        }
        if (matchingMode == null) {
            throw new IllegalArgumentException("matching mode");
        }
        long divisor = notionalDivisor();
        if (divisor <= 0) {
            throw new IllegalArgumentException("decimals");
        }
        // A maker fee above the taker fee would let a resting order pay more than was set aside for it.
        if (makerFeeBps > takerFeeBps) {
            throw new IllegalArgumentException("maker fee above taker fee");
        }
        MarketConfig.Builder b = MarketConfig.builder()
                .marketId(id)
                .tickSize(tickSize)
                .lotSize(lotSize)
                .minQuantity(minQuantity)
                .maxQuantity(maxQuantity)
                .maxPrice(maxPrice)
                .notionalDivisor(divisor)
                .minNotional(minNotional)
                .makerFeeBps(makerFeeBps)
                .takerFeeBps(takerFeeBps)
                .priceBandBps(priceBandBps)
                .maxOpenOrdersPerAccount(maxOpenOrdersPerAccount);
        if (matchingMode == MatchingMode.AUCTION) {
            b.auction(auctionIntervalMs);
        } else {
            b.continuous();
        }
        return b.build();
    }

    /** What makes a market definition unusable, said plainly (for the edge), or null when it is fine. */
    public static String inconsistency(Market market) {
        if (market.getMaxQuantity() <= 0 || market.getMaxPrice() <= 0) {
            return "maxQuantity and maxPrice are required";
        }
        if (Math.multiplyHigh(market.getMaxPrice(), market.getMaxQuantity()) != 0
                || market.getMaxPrice() * market.getMaxQuantity() < 0) {
            return "maxPrice x maxQuantity, in units, must fit in 63 bits: lower one of them";
        }
        int exp = market.getPriceScale() + market.getBase().getDecimals() - market.getQuote().getDecimals();
        long divisor = 1;
        for (int i = 0; i < exp && exp <= 18; i++) {
            divisor *= 10;
        }
        if (exp < 0 || exp > 18) {
            divisor = -1;
        }
        if (divisor <= 0 || market.getTickSize() <= 0 || market.getLotSize() <= 0
                || Math.multiplyHigh(market.getTickSize(), market.getLotSize()) != 0
                || (market.getTickSize() * market.getLotSize()) % divisor != 0) {
            return "tickSize x lotSize must be a multiple of one quote unit (10^(priceScale + baseDecimals"
                    + " - quoteDecimals) in units), so that every trade's value is exact";
        }
        return null;
    }

    /** The definition from its protobuf form. */
    public static MarketSpec of(Market m) {
        return new MarketSpec(m.getSymbol(), m.getBase().getSymbol(), m.getBase().getDecimals(),
                m.getQuote().getSymbol(), m.getQuote().getDecimals(), m.getPriceScale(), m.getTickSize(),
                m.getLotSize(), m.getMinQuantity(), m.getMaxQuantity(), m.getMaxPrice(), m.getMinNotional(),
                m.getMakerFeeBps(), m.getTakerFeeBps(), m.getPriceBandBps(),
                m.getMaxOpenOrdersPerAccount() == 0 ? DEFAULT_MAX_OPEN_ORDERS : m.getMaxOpenOrdersPerAccount(),
                m.getMatchingMode() == io.trademesh.proto.common.MatchingMode.MATCHING_MODE_AUCTION
                        ? MatchingMode.AUCTION : MatchingMode.CONTINUOUS,
                m.getAuctionIntervalMs());
    }

    /** The protobuf form, as a market of {@code product}. */
    public Market.Builder toProto(Product product) {
        return Market.newBuilder()
                .setSymbol(symbol)
                .setProduct(product)
                .setBase(Asset.newBuilder().setSymbol(baseAsset).setDecimals(baseDecimals))
                .setQuote(Asset.newBuilder().setSymbol(quoteAsset).setDecimals(quoteDecimals))
                .setTickSize(tickSize)
                .setLotSize(lotSize)
                .setPriceScale(priceScale)
                .setMinQuantity(minQuantity)
                .setMaxQuantity(maxQuantity)
                .setMaxPrice(maxPrice)
                .setMinNotional(minNotional)
                .setMakerFeeBps(makerFeeBps)
                .setTakerFeeBps(takerFeeBps)
                .setMatchingMode(matchingMode == MatchingMode.AUCTION
                        ? io.trademesh.proto.common.MatchingMode.MATCHING_MODE_AUCTION
                        : io.trademesh.proto.common.MatchingMode.MATCHING_MODE_CONTINUOUS)
                .setAuctionIntervalMs(auctionIntervalMs)
                .setPriceBandBps(priceBandBps)
                .setMaxOpenOrdersPerAccount(maxOpenOrdersPerAccount);
    }

    /** Snapshot form: every field in declaration order. */
    public void write(DataOutput out) throws IOException {
        out.writeUTF(symbol);
        out.writeUTF(baseAsset);
        out.writeInt(baseDecimals);
        out.writeUTF(quoteAsset);
        out.writeInt(quoteDecimals);
        out.writeInt(priceScale);
        out.writeLong(tickSize);
        out.writeLong(lotSize);
        out.writeLong(minQuantity);
        out.writeLong(maxQuantity);
        out.writeLong(maxPrice);
        out.writeLong(minNotional);
        out.writeInt(makerFeeBps);
        out.writeInt(takerFeeBps);
        out.writeInt(priceBandBps);
        out.writeInt(maxOpenOrdersPerAccount);
        out.writeInt(matchingMode.ordinal());
        out.writeLong(auctionIntervalMs);
    }

    public static MarketSpec read(DataInput in) throws IOException {
        return new MarketSpec(in.readUTF(), in.readUTF(), in.readInt(), in.readUTF(), in.readInt(), in.readInt(),
                in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                in.readInt(), in.readInt(), in.readInt(), in.readInt(), MatchingMode.values()[in.readInt()],
                in.readLong());
    }
}
