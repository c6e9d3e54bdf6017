package io.trademesh.spot.engine;

import io.trademesh.platform.wallet.Wallets;

import io.trademesh.platform.trading.OrderBookView;
import io.trademesh.platform.trading.OrderRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.trademesh.matching.MarketConfig;
import io.trademesh.matching.MatchingMode;
import io.trademesh.matching.OrderBook;
import io.trademesh.matching.Side;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/** What must hold between any two commands of the spot engine; each method fails with what it found. */
public final class SpotInvariants {

    private SpotInvariants() {
    }

    /** For every asset, available + locked over all wallets (fee account included) is what came in minus out. */
    public static void assetsAddUp(SpotEngine engine, ToLongFunction<String> ledger) {
        for (int asset = 0; asset < engine.assetCount(); asset++) {
            final int a = asset;
            long[] total = new long[1];
            engine.wallets().forEachAccount((account, wallet) -> {
                if (a < Wallets.assets(wallet)) {
                    int at = Wallets.availableSlot(a);
                    total[0] = Math.addExact(total[0], Math.addExact(wallet[at], wallet[at + 1]));
                }
            });
            String symbol = engine.assetSymbol(asset);
            assertEquals(ledger.applyAsLong(symbol), total[0], symbol + ": wallets do not add up to credits - debits");
        }
    }

    /**
     * No trader's wallet is ever negative. The fee account never locks anything, and holds exactly the fees charged:
     * SpotEngine's comment allows it to be "one unit short for a moment", but since every order's fees are one
     * rounding up of its cumulative notional * bps and maker + taker bps >= 0, the sum over all orders cannot be
     * negative after any fill, so between commands it is never below zero.
     */
    public static void noNegativeBalances(SpotEngine engine, long feesCharged) {
        int quote = engine.assetId(RandomStreams.QUOTE);
        engine.wallets().forEachAccount((account, wallet) -> {
            for (int asset = 0; asset < Wallets.assets(wallet); asset++) {
                for (int locked = 0; locked < 2; locked++) {
                    long amount = wallet[Wallets.availableSlot(asset) + locked];
                    if (account == SpotEngine.FEE_ACCOUNT) {
                        if (locked == 1 || asset != quote) {
                            assertEquals(0, amount, "fee account asset " + asset + (locked == 1 ? " locked" : ""));
                        }
                    } else {
                        int a = asset;
                        int l = locked;
                        assertTrue(amount >= 0, () -> "account " + account + " asset " + engine.assetSymbol(a)
                                + (l == 0 ? " available " : " locked ") + amount);
                    }
                }
            }
        });
        long fees = quote < 0 ? 0 : engine.wallets().available(SpotEngine.FEE_ACCOUNT, quote);
        assertEquals(feesCharged, fees, "the fee account holds exactly the fees charged");
        assertTrue(fees >= 0, "fee account below zero: " + fees);
    }

    /**
     * Locked of every wallet is the sum of what its open orders still reserve: a sell exactly its unfilled quantity
     * of base, a buy at least the notional of its unfilled quantity at its price (plus what fees may still take).
     */
    public static void lockedIsReserved(SpotEngine engine) {
        Map<Long, long[]> reserved = new HashMap<>();
        int assets = engine.assetCount();
        for (SpotMarket market : engine.markets()) {
            MarketConfig config = market.book().config();
            for (Side side : Side.values()) {
                market.book().orders(side, order -> {
                    long r = engine.reserved(order.orderId());
                    long leaves = order.leavesQuantity();
                    if (side == Side.SELL) {
                        assertEquals(leaves, r, "sell " + order.orderId() + " reserves its unfilled base");
                    } else {
                        assertTrue(r >= config.notional(order.price(), leaves), "buy " + order.orderId()
                                + " reserves " + r + " < notional of " + leaves + " at " + order.price());
                    }
                    int asset = side == Side.SELL ? market.baseAsset() : market.quoteAsset();
                    reserved.computeIfAbsent(order.accountId(), a -> new long[assets])[asset] += r;
                });
            }
        }
        engine.wallets().forEachAccount((account, wallet) -> {
            long[] expected = reserved.getOrDefault(account, new long[assets]);
            for (int asset = 0; asset < assets; asset++) {
                assertEquals(expected[asset], engine.wallets().locked(account, asset), "account " + account
                        + " locked " + engine.assetSymbol(asset) + " vs its open orders' reservations");
            }
        });
        for (Map.Entry<Long, long[]> e : reserved.entrySet()) {
            for (int asset = 0; asset < assets; asset++) {
                assertEquals(e.getValue()[asset], engine.wallets().locked(e.getKey(), asset));
            }
        }
    }

    /** A continuous book's best bid is below its best ask. */
    public static void booksNotCrossed(SpotEngine engine) {
        for (SpotMarket market : engine.markets()) {
            OrderBook book = market.book();
            if (book.config().matchingMode() == MatchingMode.CONTINUOUS && book.bestBidPrice() != OrderBook.NO_PRICE
                    && book.bestAskPrice() != OrderBook.NO_PRICE) {
                assertTrue(book.bestBidPrice() < book.bestAskPrice(), market.spec().symbol() + " crossed: "
                        + book.bestBidPrice() + " >= " + book.bestAskPrice());
            }
        }
    }

    /** Every open order in a book is open in the view, with the same terms and fills, and the view has no others. */
    public static void viewAgreesWithBooks(SpotEngine engine, OrderBookView view) {
        Map<Long, Integer> openPerAccount = new HashMap<>();
        for (SpotMarket market : engine.markets()) {
            for (Side side : Side.values()) {
                market.book().orders(side, order -> {
                    OrderRecord r = view.openOrder(order.orderId());
                    assertNotNull(r, "order " + order.orderId() + " is open in the book but not in the view");
                    assertEquals(order.accountId(), r.accountId);
                    assertEquals(market.id(), r.marketId);
                    assertEquals(side, r.side);
                    assertEquals(order.price(), r.price, "price of " + order.orderId());
                    assertEquals(order.quantity(), r.quantity, "quantity of " + order.orderId());
                    assertEquals(order.filledQuantity(), r.filledQuantity, "filled of " + order.orderId());
                    String cid = engine.clientOrderId(order.orderId());
                    assertEquals(cid == null ? "" : cid, r.clientOrderId);
                    openPerAccount.merge(order.accountId(), 1, Integer::sum);
                });
            }
        }
        engine.wallets().forEachAccount((account, wallet) -> assertEquals(
                (int) openPerAccount.getOrDefault(account, 0), view.openOrders(account, -1).size(),
                "open orders of account " + account + " in the view"));
    }
}
