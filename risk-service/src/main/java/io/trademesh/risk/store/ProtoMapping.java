package io.trademesh.risk.store;

import io.trademesh.proto.common.Balance;
import io.trademesh.proto.risk.AccountLimits;
import io.trademesh.proto.risk.AccountStatus;
import io.trademesh.proto.risk.IndexPrice;
import io.trademesh.proto.risk.Permission;
import io.trademesh.proto.risk.TransferState;
import io.trademesh.proto.wallet.Wallet;
import io.trademesh.risk.engine.Account;
import io.trademesh.risk.engine.ApiKeyRecord;
import io.trademesh.risk.engine.Limits;
import io.trademesh.risk.engine.OperatorPrice;
import io.trademesh.risk.engine.Transfer;
import io.trademesh.risk.engine.TransferStep;
import io.trademesh.risk.engine.WalletKind;
import java.util.List;

/** Between the engine's plain types and the protobuf messages of risk.proto. */
public final class ProtoMapping {

    /** The source of an operator-set index price. */
    public static final String OPERATOR_SOURCE = "operator";

    private ProtoMapping() {
    }

    public static io.trademesh.proto.risk.Account account(Account a) {
        return io.trademesh.proto.risk.Account.newBuilder()
                .setAccountId(a.id())
                .setName(a.name())
                .setStatus(status(a.status()))
                .setCreatedAtMs(a.createdAtMs())
                .build();
    }

    public static AccountStatus status(io.trademesh.risk.engine.AccountStatus s) {
        return s == io.trademesh.risk.engine.AccountStatus.ACTIVE ? AccountStatus.ACCOUNT_STATUS_ACTIVE
                : AccountStatus.ACCOUNT_STATUS_SUSPENDED;
    }

    /** The key as anyone may see it: no secret, sealed or not. */
    public static io.trademesh.proto.risk.ApiKey apiKey(ApiKeyRecord k) {
        io.trademesh.proto.risk.ApiKey.Builder b = io.trademesh.proto.risk.ApiKey.newBuilder()
                .setApiKey(k.keyId())
                .setAccountId(k.accountId())
                .addAllIpAllowlist(k.ipAllowlist())
                .setRevoked(k.revoked())
                .setCreatedAtMs(k.createdAtMs())
                .setLabel(k.label());
        for (io.trademesh.risk.engine.Permission p : io.trademesh.risk.engine.Permission.values()) {
            if (k.has(p)) {
                b.addPermissions(permission(p));
            }
        }
        return b.build();
    }

    public static Permission permission(io.trademesh.risk.engine.Permission p) {
        return switch (p) {
            case READ -> Permission.PERMISSION_READ;
            case TRADE -> Permission.PERMISSION_TRADE;
            case TRANSFER -> Permission.PERMISSION_TRANSFER;
        };
    }

    /** The engine's permission, or null for one that is not a permission. */
    public static io.trademesh.risk.engine.Permission permission(Permission p) {
        return switch (p) {
            case PERMISSION_READ -> io.trademesh.risk.engine.Permission.READ;
            case PERMISSION_TRADE -> io.trademesh.risk.engine.Permission.TRADE;
            case PERMISSION_TRANSFER -> io.trademesh.risk.engine.Permission.TRANSFER;
            default -> null;
        };
    }

    /** A mask of the given permissions; those that are not permissions are left out. */
    public static int permissionMask(List<Permission> permissions) {
        int mask = 0;
        for (Permission p : permissions) {
            io.trademesh.risk.engine.Permission e = permission(p);
            if (e != null) {
                mask |= e.bit;
            }
        }
        return mask;
    }

    public static Balance balance(String asset, long available) {
        return Balance.newBuilder().setAsset(asset).setAvailable(available).build();
    }

    public static io.trademesh.proto.risk.Transfer transfer(Transfer t) {
        return io.trademesh.proto.risk.Transfer.newBuilder()
                .setTransferId(TransferIds.clientId(t.id()))
                .setAccountId(t.accountId())
                .setAsset(t.asset())
                .setAmount(t.amount())
                .setFrom(wallet(t.from()))
                .setTo(wallet(t.to()))
                .setState(state(t.state()))
                .setReason(t.reason())
                .setCreatedAtMs(t.createdAtMs())
                .setUpdatedAtMs(t.updatedAtMs())
                .build();
    }

    public static Wallet wallet(WalletKind w) {
        return switch (w) {
            case FUNDING -> Wallet.WALLET_FUNDING;
            case SPOT -> Wallet.WALLET_SPOT;
            case FUTURES -> Wallet.WALLET_FUTURES;
            case OPTIONS -> Wallet.WALLET_OPTIONS;
            case MONEY_MARKET -> Wallet.WALLET_MONEY_MARKET;
        };
    }

    /** The engine's wallet, or null for no wallet. */
    public static WalletKind wallet(Wallet w) {
        return switch (w) {
            case WALLET_FUNDING -> WalletKind.FUNDING;
            case WALLET_SPOT -> WalletKind.SPOT;
            case WALLET_FUTURES -> WalletKind.FUTURES;
            case WALLET_OPTIONS -> WalletKind.OPTIONS;
            case WALLET_MONEY_MARKET -> WalletKind.MONEY_MARKET;
            default -> null;
        };
    }

    public static TransferState state(io.trademesh.risk.engine.TransferState s) {
        return switch (s) {
            case PENDING -> TransferState.TRANSFER_STATE_PENDING;
            case DEBITED -> TransferState.TRANSFER_STATE_DEBITED;
            case COMPLETED -> TransferState.TRANSFER_STATE_COMPLETED;
            case REFUNDING -> TransferState.TRANSFER_STATE_REFUNDING;
            case REFUNDED -> TransferState.TRANSFER_STATE_REFUNDED;
            case FAILED -> TransferState.TRANSFER_STATE_FAILED;
        };
    }

    public static io.trademesh.proto.risk.TransferStep step(TransferStep s) {
        return switch (s) {
            case DEBIT_SOURCE -> io.trademesh.proto.risk.TransferStep.TRANSFER_STEP_DEBIT_SOURCE;
            case CREDIT_DESTINATION -> io.trademesh.proto.risk.TransferStep.TRANSFER_STEP_CREDIT_DESTINATION;
            case REFUND_SOURCE -> io.trademesh.proto.risk.TransferStep.TRANSFER_STEP_REFUND_SOURCE;
        };
    }

    public static TransferStep step(io.trademesh.proto.risk.TransferStep s) {
        return switch (s) {
            case TRANSFER_STEP_DEBIT_SOURCE -> TransferStep.DEBIT_SOURCE;
            case TRANSFER_STEP_CREDIT_DESTINATION -> TransferStep.CREDIT_DESTINATION;
            case TRANSFER_STEP_REFUND_SOURCE -> TransferStep.REFUND_SOURCE;
            default -> throw new IllegalArgumentException("journaled transfer step is " + s);
        };
    }

    public static AccountLimits limits(Limits l) {
        return AccountLimits.newBuilder()
                .setAccountId(l.accountId())
                .setMaxOpenOrders(l.maxOpenOrders())
                .setMaxOrderNotional(l.maxOrderNotional())
                .setKillSwitch(l.killSwitch())
                .setNotionalAsset(l.notionalAsset())
                .build();
    }

    public static Limits limits(AccountLimits l) {
        return new Limits(l.getAccountId(), l.getMaxOpenOrders(), l.getMaxOrderNotional(), l.getKillSwitch(),
                l.getMaxOrderNotional() > 0 ? l.getNotionalAsset() : "");
    }

    public static IndexPrice indexPrice(OperatorPrice p) {
        return IndexPrice.newBuilder()
                .setAsset(p.asset())
                .setQuote(p.quote())
                .setPrice(p.price())
                .setPriceScale(p.priceScale())
                .setSource(OPERATOR_SOURCE)
                .setTimestampMs(p.timestampMs())
                .build();
    }
}
