package io.trademesh.risk.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.trademesh.risk.engine.TransferState;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** risk-service's own meters; live commands only (replay counts nothing). */
public final class RiskMetrics {

    final Counter accountsCreated;
    final Counter accountsSuspended;
    final Counter keysCreated;
    final Counter keysRevoked;
    final Counter deposits;
    final Counter withdrawals;
    final Counter withdrawalsRefused;
    final Counter transfersCreated;
    private final Map<TransferState, Counter> transfersFinished = new EnumMap<>(TransferState.class);
    final AtomicLong accounts = new AtomicLong();
    final AtomicLong unfinishedTransfers = new AtomicLong();

    public RiskMetrics(MeterRegistry registry) {
        // Names ending in "created" are reserved in OpenMetrics (creation timestamps): "opened" instead.
        accountsCreated = Counter.builder("risk.accounts.opened").description("Accounts created")
                .register(registry);
        accountsSuspended = Counter.builder("risk.accounts.suspensions").description("Accounts suspended")
                .register(registry);
        keysCreated = Counter.builder("risk.api.keys").tag("action", "created").description("API keys created")
                .register(registry);
        keysRevoked = Counter.builder("risk.api.keys").tag("action", "revoked").description("API keys revoked")
                .register(registry);
        deposits = Counter.builder("risk.deposits").description("Deposits applied (duplicates not counted)")
                .register(registry);
        withdrawals = Counter.builder("risk.withdrawals").tag("result", "applied")
                .description("Withdrawals, by result (duplicates not counted)").register(registry);
        withdrawalsRefused = Counter.builder("risk.withdrawals").tag("result", "refused")
                .description("Withdrawals, by result (duplicates not counted)").register(registry);
        transfersCreated = Counter.builder("risk.transfers.started").description("Transfers created")
                .register(registry);
        for (TransferState s : new TransferState[] {TransferState.COMPLETED, TransferState.FAILED,
                TransferState.REFUNDED}) {
            transfersFinished.put(s, Counter.builder("risk.transfers").tag("state", s.name())
                    .description("Transfers that reached a final state, by state").register(registry));
        }
        Gauge.builder("risk.accounts", accounts, AtomicLong::get).description("Accounts").register(registry);
        Gauge.builder("risk.transfers.unfinished", unfinishedTransfers, AtomicLong::get)
                .description("Transfers with a step still to take").register(registry);
    }

    void transferFinished(TransferState state) {
        Counter c = transfersFinished.get(state);
        if (c != null) {
            c.increment();
        }
    }
}
