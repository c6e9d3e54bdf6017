package io.trademesh.futures.engine;

import java.util.ArrayList;
import java.util.List;

/** One account's futures state: its positions (by contract id, ascending) and leverage per contract. */
public final class MarginAccount {

    final long accountId;
    /** Positions, including flat ones with open orders, ascending by contract id. */
    final List<Position> positions = new ArrayList<>(2);
    /** Leverage per contract id; 0: the contract's default. */
    int[] leverage = new int[0];
    /** Isolated margin per contract id (cross when false or absent). */
    boolean[] isolated = new boolean[0];

    MarginAccount(long accountId) {
        this.accountId = accountId;
    }

    public long accountId() {
        return accountId;
    }

    public List<Position> positions() {
        return positions;
    }

    Position position(int contractId) {
        for (Position p : positions) {
            if (p.contract.id == contractId) {
                return p;
            }
        }
        return null;
    }

    Position positionOrNew(Contract c) {
        int i = 0;
        for (; i < positions.size(); i++) {
            Position p = positions.get(i);
            if (p.contract.id == c.id) {
                return p;
            }
            if (p.contract.id > c.id) {
                break;
            }
        }
        Position p = new Position(accountId, c);
        p.isolated = isolated(c.id);
        positions.add(i, p);
        return p;
    }

    int leverage(Contract c) {
        int l = c.id < leverage.length ? leverage[c.id] : 0;
        return l == 0 ? c.defaultLeverage() : l;
    }

    boolean isolated(int contractId) {
        return contractId < isolated.length && isolated[contractId];
    }

    void setIsolated(int contractId, boolean value) {
        if (contractId >= isolated.length) {
            isolated = java.util.Arrays.copyOf(isolated, contractId + 1);
        }
        isolated[contractId] = value;
    }

    void setLeverage(int contractId, int value) {
        if (contractId >= leverage.length) {
            leverage = java.util.Arrays.copyOf(leverage, contractId + 1);
        }
        leverage[contractId] = value;
    }

}
