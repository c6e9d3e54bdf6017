package io.trademesh.platform.trading;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The assets an engine's markets use, numbered densely from 0 in the order they first appear
 * (wallets are indexed by these ids), each with its decimals. An asset keeps its id and its
 * decimals for good: a market naming it with other decimals is refused by its engine.
 */
public final class AssetRegistry {

    private final List<String> symbols = new ArrayList<>();
    private final List<Integer> decimals = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    /** The asset's id, registering it with {@code decimals} on first use. */
    public int register(String symbol, int assetDecimals) {
        Integer id = ids.get(symbol);
        if (id != null) {
            return id;
        }
        int next = symbols.size();
        symbols.add(symbol);
        decimals.add(assetDecimals);
        ids.put(symbol, next);
        return next;
    }

    /** Whether {@code symbol} is unknown or known with these decimals. */
    public boolean agrees(String symbol, int assetDecimals) {
        Integer id = ids.get(symbol);
        return id == null || decimals.get(id) == assetDecimals;
    }

    /** The asset's id, or -1 if no market uses it. */
    public int id(String symbol) {
        Integer id = ids.get(symbol);
        return id == null ? -1 : id;
    }

    public String symbol(int id) {
        return symbols.get(id);
    }

    public int count() {
        return symbols.size();
    }

    /** The symbols by id. */
    public List<String> symbols() {
        return List.copyOf(symbols);
    }

    /** {@code int n: (UTF symbol, int decimals)*} by id. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(symbols.size());
        for (int i = 0; i < symbols.size(); i++) {
            out.writeUTF(symbols.get(i));
            out.writeInt(decimals.get(i));
        }
    }

    public void read(DataInput in) throws IOException {
        symbols.clear();
        decimals.clear();
        ids.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            register(in.readUTF(), in.readInt());
        }
    }
}
