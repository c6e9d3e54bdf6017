package io.trademesh.risk.engine;

/** A trading account. Ids are assigned by the engine from 1 up; 0 is spot's fee account and never a user. */
public record Account(long id, String name, AccountStatus status, long createdAtMs) {

    public boolean active() {
        return status == AccountStatus.ACTIVE;
    }

    Account withStatus(AccountStatus next) {
        return new Account(id, name, next, createdAtMs);
    }
}
