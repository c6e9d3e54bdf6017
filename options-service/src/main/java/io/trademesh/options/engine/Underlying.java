package io.trademesh.options.engine;

import io.trademesh.options.pricing.VolSurface;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.LongHashSet;

/**
 * One underlying index (BTC in USDT): its rules, its index price at its instruments' price
 * scale, its volatility surface, its chains by expiry, and the accounts that hold shorts on
 * it (the only ones an index move can send below maintenance).
 */
public final class Underlying {

    /** An index older than this is stale: orders that add risk and liquidations wait. */
    public static final long INDEX_STALE_MS = 30_000;

    final int id;
    final String name;
    final String quote;
    final int asset;
    final int priceScale;
    UnderlyingTerms terms = UnderlyingTerms.DEFAULT;
    long indexPrice;
    long indexAtMs;
    /** When the chains were last repriced: a restore reprices at this time to the same marks. */
    long pricedAtMs;
    final VolSurface surface = new VolSurface();
    /** By expiry, ascending. */
    final List<Expiry> expiries = new ArrayList<>();
    final LongHashSet shortHolders = new LongHashSet();

    Underlying(int id, String name, String quote, int asset, int priceScale) {
        this.id = id;
        this.name = name;
        this.quote = quote;
        this.asset = asset;
        this.priceScale = priceScale;
    }

    public boolean indexFresh(long nowMs) {
        return indexPrice > 0 && nowMs - indexAtMs <= INDEX_STALE_MS;
    }

    Expiry expiry(long expiryMs) {
        for (Expiry e : expiries) {
            if (e.expiryMs == expiryMs) {
                return e;
            }
        }
        return null;
    }

    public String name() {
        return name;
    }

    public String quote() {
        return quote;
    }

    public UnderlyingTerms terms() {
        return terms;
    }

    public long indexPrice() {
        return indexPrice;
    }

    public long indexAtMs() {
        return indexAtMs;
    }

    public VolSurface surface() {
        return surface;
    }

    public List<Expiry> expiries() {
        return List.copyOf(expiries);
    }

    public int priceScale() {
        return priceScale;
    }
}
