package io.trademesh.platform.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The wallets against a plain map through table growth and new assets, and their snapshot's bytes. */
class WalletsTest {

    @Test
    void agreeWithAMapAndWriteTheSameBytesWhateverTheOrderAccountsCameIn() throws IOException {
        Random random = new Random(7);
        Wallets wallets = new Wallets();
        Map<String, Long> reference = new HashMap<>();
        List<long[]> credits = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            long account = 1 + random.nextInt(5_000) * 7919L; // spread ids, many repeats
            int asset = random.nextInt(12);
            long amount = 1 + random.nextInt(1_000_000);
            assertTrue(wallets.credit(account, asset, amount));
            reference.merge(account + "/" + asset, amount, Long::sum);
            credits.add(new long[] {account, asset, amount});
            if (random.nextInt(4) == 0) {
                long locked = amount / 2;
                assertTrue(wallets.lock(account, asset, locked));
                reference.merge(account + "/" + asset + "/locked", locked, Long::sum);
                reference.merge(account + "/" + asset, -locked, Long::sum);
                credits.add(new long[] {account, asset, -locked});
            }
        }
        for (Map.Entry<String, Long> e : reference.entrySet()) {
            String[] key = e.getKey().split("/");
            long account = Long.parseLong(key[0]);
            int asset = Integer.parseInt(key[1]);
            long got = key.length == 3 ? wallets.locked(account, asset) : wallets.available(account, asset);
            assertEquals((long) e.getValue(), got, e.getKey());
        }
        assertEquals(0, wallets.available(3, 0), "an unknown account has nothing");
        assertFalse(wallets.lock(3, 0, 1));
        assertFalse(wallets.debit(1, 40, 1), "an asset beyond the account's array has nothing");

        // The same state built in the opposite order writes the same bytes, and reads back to them.
        Wallets reversed = new Wallets();
        for (int i = credits.size() - 1; i >= 0; i--) {
            long[] c = credits.get(i);
            if (c[2] > 0) {
                reversed.credit(c[0], (int) c[1], c[2]);
            }
        }
        for (long[] c : credits) {
            if (c[2] < 0) {
                assertTrue(reversed.lock(c[0], (int) c[1], -c[2]));
            }
        }
        byte[] bytes = write(wallets);
        assertArrayEquals(bytes, write(reversed));
        Wallets restored = new Wallets();
        restored.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertArrayEquals(bytes, write(restored));
    }

    private static byte[] write(Wallets wallets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        wallets.write(new DataOutputStream(out));
        return out.toByteArray();
    }
}
