package io.trademesh.risk.engine;

import java.util.List;

/**
 * An API key as the engine keeps it. The secret is only here sealed (encrypted and
 * authenticated at the edge, before the command was journaled); the engine never sees it
 * in clear and never needs to.
 *
 * @param permissions a mask of {@link Permission} bits
 */
public record ApiKeyRecord(String keyId, long accountId, int permissions, List<String> ipAllowlist, String label,
                           byte[] sealedSecret, boolean revoked, long createdAtMs) {

    public ApiKeyRecord {
        ipAllowlist = List.copyOf(ipAllowlist);
    }

    public boolean has(Permission p) {
        return (permissions & p.bit) != 0;
    }

    ApiKeyRecord revoke() {
        return new ApiKeyRecord(keyId, accountId, permissions, ipAllowlist, label, sealedSecret, true, createdAtMs);
    }
}
