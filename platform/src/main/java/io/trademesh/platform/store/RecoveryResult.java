package io.trademesh.platform.store;

/**
 * What recovery did: which snapshot it started from (0 = none), how many journaled
 * commands it replayed, the last sequence now applied, and how many records of a torn
 * or corrupt journal tail it cut, and how many corrupt snapshots it skipped.
 */
public record RecoveryResult(long snapshotSequence, long replayed, long lastSequence, long cutRecords,
                             int skippedSnapshots) {
}
