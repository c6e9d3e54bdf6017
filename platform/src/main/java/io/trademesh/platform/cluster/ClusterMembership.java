package io.trademesh.platform.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Watches Hazelcast membership: logs members joining and leaving, keeps the count for
 * metrics and readiness, and tells registered listeners. (Vert.x's own NodeListener slot
 * on the cluster manager is taken by Vert.x itself, so we listen on Hazelcast directly.)
 */
public final class ClusterMembership implements MembershipListener {

    private static final Logger LOG = Logger.getLogger(ClusterMembership.class.getName());

    private final AtomicInteger members = new AtomicInteger();
    private final List<Consumer<String>> joinListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> leaveListeners = new CopyOnWriteArrayList<>();

    @Override
    public void memberAdded(MembershipEvent event) {
        members.set(event.getMembers().size());
        String who = describe(event.getMember());
        LOG.info("cluster member joined: " + who + " (members: " + members.get() + ")");
        joinListeners.forEach(l -> l.accept(who));
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        members.set(event.getMembers().size());
        String who = describe(event.getMember());
        LOG.warning("cluster member left: " + who + " (members: " + members.get() + ")");
        leaveListeners.forEach(l -> l.accept(who));
    }

    /** Called once joined, with the member count Hazelcast reports then. */
    public void joined(int memberCount) {
        members.set(memberCount);
    }

    public int memberCount() {
        return members.get();
    }

    /** Listener gets "host:port" of each member that joins after registration. */
    public void onJoin(Consumer<String> listener) {
        joinListeners.add(listener);
    }

    /** Listener gets "host:port" of each member that leaves. */
    public void onLeave(Consumer<String> listener) {
        leaveListeners.add(listener);
    }

    private static String describe(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }
}
