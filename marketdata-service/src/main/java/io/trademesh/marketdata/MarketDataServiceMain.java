package io.trademesh.marketdata;

import io.trademesh.platform.boot.ServiceLauncher;

/** Starts marketdata-service: candles, 24-hour tickers and trade history for every product's markets. */
public final class MarketDataServiceMain {

    private MarketDataServiceMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch(new MarketDataService());
    }
}
