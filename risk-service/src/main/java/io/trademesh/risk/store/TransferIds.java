package io.trademesh.risk.store;

import io.trademesh.risk.engine.RiskEngine;
import io.trademesh.risk.engine.Transfer;

/**
 * Transfer ids are the client's own, per account: two accounts may both use "t1", and no
 * account learns whether another used an id. Inside risk-service (the engine's key, the
 * journal, and the wallet transfer ids sent to products, {@code <id>:debit}) a transfer is
 * {@code <account>:<client id>}; a client id cannot hold ':', so the two never mix. Transfers
 * made before ids were scoped keep their bare id: a client asking for its own id finds them
 * too, so a retry of one of them is still answered with it.
 */
public final class TransferIds {

    private TransferIds() {
    }

    public static String scoped(long accountId, String clientId) {
        return accountId + ":" + clientId;
    }

    /** The id the client chose. */
    public static String clientId(String internalId) {
        int colon = internalId.indexOf(':');
        return colon < 0 ? internalId : internalId.substring(colon + 1);
    }

    /** The account's transfer with this client id, or null. Run on the shard. */
    public static Transfer find(RiskEngine engine, long accountId, String clientId) {
        Transfer t = engine.transfer(scoped(accountId, clientId));
        return t != null ? t : legacy(engine, accountId, clientId);
    }

    /** The account's transfer made before ids were scoped with this bare id, or null. Run on the shard. */
    public static Transfer legacy(RiskEngine engine, long accountId, String clientId) {
        Transfer t = engine.transfer(clientId);
        return t != null && t.accountId() == accountId ? t : null;
    }
}
