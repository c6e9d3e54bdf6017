package io.trademesh.platform.wallet;

import io.trademesh.proto.common.Balance;
import io.trademesh.proto.wallet.AssetTotals;
import io.trademesh.proto.wallet.BalanceList;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.proto.wallet.WalletTotals;
import io.trademesh.proto.wallet.WalletTransferRequest;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What every product service's {@code WalletService} adapter shares: the edge check of a
 * credit or debit, and the balances and totals answers built from a {@link WalletLedger}.
 * Run the builders on the engine's thread (a shard query): they read its state.
 */
public final class WalletContract {

    /** Transfer ids: what risk-service sends ({@code <id>:debit}) fits with room to spare. */
    public static final Pattern TRANSFER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,160}");

    private WalletContract() {
    }

    /** What is wrong with a credit or debit before it reaches the engine, or null. */
    public static String checkTransfer(WalletTransferRequest r, long venueAccount) {
        if (!TRANSFER_ID.matcher(r.getTransferId()).matches()) {
            return "transfer_id must be 1-160 of [A-Za-z0-9._:-]";
        }
        if (r.getAccountId() == venueAccount) {
            return "account_id is required (" + venueAccount + " is not an account)";
        }
        if (r.getAsset().isEmpty()) {
            return "asset is required";
        }
        if (r.getAmount() <= 0) {
            return "amount must be positive";
        }
        return null;
    }

    /** One account's balance in every asset of the service; {@code assets} by asset id. */
    public static BalanceList balances(Wallets wallets, long accountId, List<String> assets) {
        BalanceList.Builder b = BalanceList.newBuilder().setAccountId(accountId);
        for (int asset = 0; asset < assets.size(); asset++) {
            b.addBalances(Balance.newBuilder().setAsset(assets.get(asset))
                    .setAvailable(wallets.available(accountId, asset))
                    .setLocked(wallets.locked(accountId, asset)));
        }
        return b.build();
    }

    /**
     * {@code b} with each asset's line given the product's own terms (insurance, reserves,
     * deficits, positions' costs, pools' supplied and borrowed) by {@code terms}.
     */
    public static WalletTotals.Builder withTerms(WalletTotals.Builder b,
                                                 java.util.function.BiConsumer<String, AssetTotals.Builder> terms) {
        for (int i = 0; i < b.getAssetsCount(); i++) {
            AssetTotals.Builder line = b.getAssets(i).toBuilder();
            terms.accept(line.getAsset(), line);
            b.setAssets(i, line);
        }
        return b;
    }

    /**
     * The service's per-asset totals (by symbol, ascending) and which of {@code askedIds} it
     * has applied, in one read of the state. Services with insurance funds, reserves or
     * deficits add them to the returned builder's assets.
     */
    public static WalletTotals.Builder totals(WalletLedger ledger, List<String> assets, Wallet wallet, int shard,
                                              String instance, List<String> askedIds) {
        int n = assets.size();
        long[] available = new long[n];
        long[] locked = new long[n];
        long[] fees = new long[n];
        ledger.totals(available, locked, fees);
        TreeMap<String, AssetTotals> bySymbol = new TreeMap<>();
        for (int asset = 0; asset < n; asset++) {
            bySymbol.put(assets.get(asset), AssetTotals.newBuilder().setAsset(assets.get(asset))
                    .setAvailable(available[asset]).setLocked(locked[asset]).setFees(fees[asset]).build());
        }
        WalletTotals.Builder b = WalletTotals.newBuilder().setWallet(wallet).setShard(shard)
                .setServiceInstance(instance).addAllAssets(bySymbol.values());
        for (String id : askedIds) {
            if (ledger.applied(id)) {
                b.addAppliedTransferIds(id);
            }
        }
        return b;
    }
}
