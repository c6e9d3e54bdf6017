package io.trademesh.gateway.api;

import io.trademesh.gateway.routing.MarketCatalog;

/** Amounts of an asset, parsed at the edge at the asset's decimals (known from the markets that trade it). */
final class Amounts {

    private Amounts() {
    }

    /** A positive amount of {@code asset} in units, or a 400 naming what is wrong. */
    static long parse(MarketCatalog catalog, String asset, String text) {
        int decimals = catalog.decimals(asset);
        if (decimals < 0) {
            throw ApiError.badRequest("UNKNOWN_ASSET", "no market trades " + asset);
        }
        Long v = Decimals.parse(text, decimals);
        if (v == null || v <= 0) {
            throw ApiError.badRequest("INVALID_AMOUNT", "amount " + text + " must be positive, with at most "
                    + decimals + " decimals, and at most " + Decimals.format(Long.MAX_VALUE, decimals));
        }
        return v;
    }
}
