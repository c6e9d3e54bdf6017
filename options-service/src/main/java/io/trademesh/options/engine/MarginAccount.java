package io.trademesh.options.engine;

import java.util.ArrayList;
import java.util.List;

/** An account's options positions (few per account: a list, looked through in order). */
public final class MarginAccount {

    final long accountId;
    final List<Position> positions = new ArrayList<>();

    MarginAccount(long accountId) {
        this.accountId = accountId;
    }

    Position position(int instrumentId) {
        for (Position p : positions) {
            if (p.instrument.id == instrumentId) {
                return p;
            }
        }
        return null;
    }

    Position positionOrNew(Instrument x) {
        Position p = position(x.id);
        if (p == null) {
            p = new Position(accountId, x);
            positions.add(p);
        }
        return p;
    }

    public long accountId() {
        return accountId;
    }

    public List<Position> positions() {
        return List.copyOf(positions);
    }
}
