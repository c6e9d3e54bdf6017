/**
 * The order book and matching engine: deterministic, single-threaded, allocation-free in steady state, no I/O.
 *
 * <p>Start at {@link io.trademesh.matching.OrderBook} (one per market: commands, views, snapshots, and the rules for
 * ids, sequences, the clock and auctions), {@link io.trademesh.matching.MarketConfig} (units, notional, limits),
 * {@link io.trademesh.matching.MatchingSink} (every output and its order) and {@link io.trademesh.matching.Fees}
 * (fee rounding and the reservation helper). Refusals are {@link io.trademesh.matching.RejectReason}s; how orders end
 * is a {@link io.trademesh.matching.DoneReason}.
 */
package io.trademesh.matching;
