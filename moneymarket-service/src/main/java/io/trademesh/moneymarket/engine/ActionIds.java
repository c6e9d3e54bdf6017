package io.trademesh.moneymarket.engine;

import io.trademesh.platform.trading.ClientOrderIds;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Accepted actions by their client action ids, with their answers, so that an action sent
 * again (a retry after a timeout) is answered again instead of moving money twice. Kept as
 * client order ids are, by the platform's {@link ClientOrderIds}: 24 hours of the command
 * clock, the account's last 1,000. A refused action is not remembered: it changed nothing,
 * so sending it again asks again.
 */
final class ActionIds {

    private final ClientOrderIds ids = new ClientOrderIds();
    /** Action number -> its answer (see the callers for the layout). */
    private final Long2ObjectHashMap<long[]> answers = new Long2ObjectHashMap<>();
    private long last;

    /** The answer remembered for this account's action with this id, or null (none, or no id). */
    long[] answer(long accountId, String clientActionId) {
        if (clientActionId == null || clientActionId.isEmpty()) {
            return null;
        }
        long n = ids.orderId(accountId, clientActionId);
        return n == 0 ? null : answers.get(n);
    }

    /** Remembers an accepted action's answer under its id (nothing without an id). */
    void remember(long nowMs, long accountId, String clientActionId, long[] answer) {
        if (clientActionId == null || clientActionId.isEmpty()) {
            return;
        }
        long n = ++last;
        ids.open(accountId, clientActionId, n);
        answers.put(n, answer);
        ids.done(n, nowMs, answers::remove);
    }

    /** Forgets the ids past the retention window. */
    void expire(long nowMs) {
        ids.expire(nowMs, answers::remove);
    }

    /** {@code ClientOrderIds, long last, int n, (long number, int length, long*)* ascending} */
    void write(DataOutput out) throws IOException {
        ids.write(out);
        out.writeLong(last);
        long[] numbers = new long[answers.size()];
        int i = 0;
        for (Long2ObjectHashMap<long[]>.KeyIterator it = answers.keySet().iterator(); it.hasNext(); ) {
            numbers[i++] = it.nextLong();
        }
        Arrays.sort(numbers);
        out.writeInt(numbers.length);
        for (long n : numbers) {
            long[] a = answers.get(n);
            out.writeLong(n);
            out.writeInt(a.length);
            for (long v : a) {
                out.writeLong(v);
            }
        }
    }

    void read(DataInput in) throws IOException {
        ids.read(in);
        last = in.readLong();
        answers.clear();
        for (int n = in.readInt(); n > 0; n--) {
            long number = in.readLong();
            long[] a = new long[in.readInt()];
            for (int i = 0; i < a.length; i++) {
                a[i] = in.readLong();
            }
            answers.put(number, a);
        }
    }
}
