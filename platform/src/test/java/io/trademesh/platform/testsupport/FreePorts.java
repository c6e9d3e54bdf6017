package io.trademesh.platform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on 127.0.0.1 that were free a moment ago, for a child process to bind later. They are
 * taken below the kernel's ephemeral range: a port the kernel hands out itself (ServerSocket(0))
 * can be given again, in the meantime, as the source port of some outgoing connection, and the
 * child then fails to bind it (seen with Hazelcast members). Each port is handed out once per
 * test JVM.
 */
public final class FreePorts {

    private static final int LOWEST = 15_000;
    private static final int BELOW_EPHEMERAL = ephemeralStart();
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** The first port of the kernel's ephemeral range (Linux's setting; 32768 when unknown). */
    private static int ephemeralStart() {
        try {
            // Read as lines: /proc reports a size of 0, and Files.readString then reads one byte ("3").
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 32_768;
        }
    }

    public static int[] take(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        int[] ports = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                // Held open together so the same port is not handed out twice.
                sockets[i] = bindSome();
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // best effort; the port is still free
                    }
                }
            }
        }
    }

    private static ServerSocket bindSome() {
        if (BELOW_EPHEMERAL - LOWEST < 1_000) {
            return bind(0);   // no room below the ephemeral range: let the kernel choose
        }
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW_EPHEMERAL);
            if (!GIVEN.add(port)) {
                continue;
            }
            try {
                return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
            } catch (IOException inUse) {
                // someone else's: try another
            }
        }
        return bind(0);
    }

    private static ServerSocket bind(int port) {
        try {
            return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int take() {
        return take(1)[0];
    }
}
