package io.trademesh.risk.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The money invariant of the mesh, checked per asset:
 * <pre>
 *   funding wallets + every product's (available + locked + fees + insurance + reserves - deficits)
 *     + transfers in flight  =  deposits - withdrawals
 * </pre>
 * The left side is what the venue holds, the right what it owes; their difference is 0
 * when no money was made or lost.
 *
 * <h2>Transfers in flight</h2>
 * risk-service's view of its open transfers and its funding totals is read in one instant
 * ({@link Base}), each product's totals in another, together with which of the open
 * transfers' wallet transfer ids that product has applied. A transfer is in flight by
 * what those say, not by its journaled state alone, so a product step that is applied but
 * not yet journaled by risk-service is counted where the money is:
 * <pre>
 *   in flight = amount x (out of the source - into the destination - refunded to the source)
 *   out of the source:  FUNDING -> the state is DEBITED or REFUNDING; a product -> "<id>:debit" applied
 *   into the destination: FUNDING -> never while open (crediting FUNDING finishes the transfer);
 *                         a product -> "<id>:credit" applied
 *   refunded: FUNDING -> never while open; a product -> "<id>:refund" applied
 * </pre>
 * The caller reads risk-service's view again after the products answered and audits again
 * if any transfer moved in between, so the audit is exact with transfers in flight too.
 */
public final class SolvencyAudit {

    private SolvencyAudit() {
    }

    /** What risk-service owes and holds of one asset. */
    public record AssetBase(long deposited, long withdrawn, long funding) {
    }

    /**
     * risk-service's side of an audit, read in one instant. {@code walletsUsed}: every wallet a
     * completed transfer named; the others hold nothing and need not be asked.
     */
    public record Base(SortedMap<String, AssetBase> assets, List<Transfer> open, int transferCount,
                       Set<WalletKind> walletsUsed) {
        public Base(SortedMap<String, AssetBase> assets, List<Transfer> open, int transferCount) {
            this(assets, open, transferCount, Set.of(WalletKind.values()));
        }

        /** Whether no transfer was created or moved between the two reads. */
        public boolean sameTransfers(Base other) {
            return transferCount == other.transferCount && open.equals(other.open);
        }

        /** The wallet transfer ids whose state the audit needs from {@code wallet}. */
        public List<String> idsToAsk(WalletKind wallet) {
            List<String> ids = new ArrayList<>();
            for (Transfer t : open) {
                if (t.from() == wallet) {
                    ids.add(t.walletTransferId(TransferStep.DEBIT_SOURCE));
                    ids.add(t.walletTransferId(TransferStep.REFUND_SOURCE));
                }
                if (t.to() == wallet) {
                    ids.add(t.walletTransferId(TransferStep.CREDIT_DESTINATION));
                }
            }
            return ids;
        }
    }

    /**
     * What one product holds of an asset. {@code positionCosts}: futures wallets hold realised
     * PnL only, so the open positions' entry costs (long +, short -) are what they are net of.
     * {@code supplied} and {@code borrowed}: a money-market pool holds what its suppliers may
     * claim less what it lent out (cash = supplied + reserves - deficits - borrowed).
     */
    public record Holdings(long available, long locked, long fees, long insurance, long reserves, long deficits,
                           long positionCosts, long supplied, long borrowed) {
        public Holdings(long available, long locked, long fees, long insurance, long reserves, long deficits) {
            this(available, locked, fees, insurance, reserves, deficits, 0, 0, 0);
        }

        public long total() {
            long plus = Math.addExact(Math.addExact(Math.addExact(Math.addExact(available, locked), fees),
                    Math.addExact(insurance, reserves)), supplied);
            return Math.subtractExact(plus, Math.addExact(Math.addExact(deficits, positionCosts), borrowed));
        }
    }

    private static final Holdings NONE = new Holdings(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** One product's answer: its holdings by asset and the asked ids it has applied. */
    public record ProductAnswer(SortedMap<String, Holdings> holdings, Set<String> appliedIds) {
    }

    /** One asset's line. {@code difference} = held - owed. */
    public record AssetLine(String asset, long deposited, long withdrawn, long funding,
                            SortedMap<WalletKind, Holdings> products, long inFlight, long difference) {
        public long owed() {
            return deposited - withdrawn;
        }
    }

    /**
     * @param complete false when a product wallet did not answer ({@code missing}): the lines
     *                 then leave that product out and prove nothing
     */
    public record Result(boolean complete, List<WalletKind> missing, int transfersInFlight, List<AssetLine> assets) {
        public boolean balanced() {
            return complete && assets.stream().allMatch(a -> a.difference() == 0);
        }
    }

    /**
     * @param products the answer of every product wallet asked; a null answer: it did not answer
     */
    public static Result audit(Base base, Map<WalletKind, ProductAnswer> products) {
        List<WalletKind> missing = new ArrayList<>();
        TreeSet<String> assets = new TreeSet<>(base.assets().keySet());
        for (Map.Entry<WalletKind, ProductAnswer> e : products.entrySet()) {
            if (e.getValue() == null) {
                missing.add(e.getKey());
            } else {
                assets.addAll(e.getValue().holdings().keySet());
            }
        }
        TreeMap<String, Long> inFlight = new TreeMap<>();
        int moving = 0;
        for (Transfer t : base.open()) {
            long units = units(t, products);
            if (units != 0) {
                moving++;
                inFlight.merge(t.asset(), Math.multiplyExact(units, t.amount()), Math::addExact);
            }
        }
        List<AssetLine> lines = new ArrayList<>(assets.size());
        for (String asset : assets) {
            AssetBase b = base.assets().getOrDefault(asset, new AssetBase(0, 0, 0));
            SortedMap<WalletKind, Holdings> held = new TreeMap<>();
            long total = b.funding();
            for (Map.Entry<WalletKind, ProductAnswer> e : products.entrySet()) {
                if (e.getValue() != null) {
                    Holdings h = e.getValue().holdings().getOrDefault(asset, NONE);
                    held.put(e.getKey(), h);
                    total = Math.addExact(total, h.total());
                }
            }
            long flying = inFlight.getOrDefault(asset, 0L);
            total = Math.addExact(total, flying);
            long owed = Math.subtractExact(b.deposited(), b.withdrawn());
            lines.add(new AssetLine(asset, b.deposited(), b.withdrawn(), b.funding(),
                    Collections.unmodifiableSortedMap(held), flying, Math.subtractExact(total, owed)));
        }
        return new Result(missing.isEmpty(), List.copyOf(missing), moving, List.copyOf(lines));
    }

    /** How many times the transfer's amount is out of every wallet the audit sees: 0 or 1 (see the class comment). */
    private static long units(Transfer t, Map<WalletKind, ProductAnswer> products) {
        long out = t.from() == WalletKind.FUNDING
                ? (t.state() == TransferState.DEBITED || t.state() == TransferState.REFUNDING ? 1 : 0)
                : applied(products, t.from(), t.walletTransferId(TransferStep.DEBIT_SOURCE));
        long in = t.to() == WalletKind.FUNDING ? 0
                : applied(products, t.to(), t.walletTransferId(TransferStep.CREDIT_DESTINATION));
        long back = t.from() == WalletKind.FUNDING ? 0
                : applied(products, t.from(), t.walletTransferId(TransferStep.REFUND_SOURCE));
        return out - in - back;
    }

    private static long applied(Map<WalletKind, ProductAnswer> products, WalletKind wallet, String id) {
        ProductAnswer a = products.get(wallet);
        return a != null && a.appliedIds().contains(id) ? 1 : 0;
    }
}
