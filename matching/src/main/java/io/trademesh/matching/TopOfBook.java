package io.trademesh.matching;

/** Caller-owned holder for an L1 view; filled by {@link OrderBook#topOfBook(TopOfBook)}. Price 0 = no level. */
public final class TopOfBook {
    public long bidPrice;
    public long bidQuantity;
    public int bidOrderCount;
    public long askPrice;
    public long askQuantity;
    public int askOrderCount;

    @Override
    public String toString() {
        return "TopOfBook{bid=" + bidQuantity + '@' + bidPrice + " (" + bidOrderCount + "), ask=" + askQuantity + '@'
            + askPrice + " (" + askOrderCount + ")}";
    }
}
