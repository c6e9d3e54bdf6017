package io.trademesh.spot.engine;

import io.trademesh.platform.events.Published;
import com.google.protobuf.InvalidProtocolBufferException;
import io.trademesh.proto.common.OrderStatus;
import io.trademesh.proto.common.TimeInForce;
import io.trademesh.proto.events.AccountEvent;
import io.trademesh.spot.store.SpotOutput;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The engine's invariants over random command streams ({@link RandomStreams}), checked after every command. The
 * commands are journaled {@code SpotCommand} protobufs applied through {@code SpotCommandApplier}, as in the service.
 */
class SpotEnginePropertiesTest {

    static final int TRIES = 400;

    @Provide
    Arbitrary<RandomStreams.Stream> streams() {
        return RandomStreams.streams(20, 400);
    }

    @Property(tries = TRIES)
    void everyAssetAddsUpToCreditsMinusDebits(@ForAll("streams") RandomStreams.Stream stream) {
        StreamDriver.run(stream, (d, applied) -> SpotInvariants.assetsAddUp(d.engine(), d::ledger));
    }

    @Property(tries = TRIES)
    void noWalletGoesNegativeAndTheFeeAccountHoldsTheFees(@ForAll("streams") RandomStreams.Stream stream) {
        StreamDriver.run(stream, (d, applied) -> SpotInvariants.noNegativeBalances(d.engine(), d.feesCharged()));
    }

    @Property(tries = TRIES)
    void lockedIsWhatOpenOrdersReserve(@ForAll("streams") RandomStreams.Stream stream) {
        StreamDriver.run(stream, (d, applied) -> SpotInvariants.lockedIsReserved(d.engine()));
    }

    @Property(tries = TRIES)
    void continuousBooksAreNeverCrossed(@ForAll("streams") RandomStreams.Stream stream) {
        StreamDriver.run(stream, (d, applied) -> SpotInvariants.booksNotCrossed(d.engine()));
    }

    @Property(tries = TRIES)
    void theViewAgreesWithTheBooks(@ForAll("streams") RandomStreams.Stream stream) {
        StreamDriver.run(stream, (d, applied) -> SpotInvariants.viewAgreesWithBooks(d.engine(), d.machine().view()));
    }

    /**
     * The streams do what they are for (a generator that drifted into refusing everything would make the other
     * properties vacuous): most streams trade, and refusals for funds, GTD expiries and auction trades are common;
     * refusals by risk-service's limits happen.
     */
    @Property(tries = 40)
    void theStreamsTradeExpireAndRefuse(@ForAll("streams") RandomStreams.Stream stream) {
        boolean[] seen = new boolean[4];
        StreamDriver driver = StreamDriver.run(stream, (d, applied) -> {
            String reason = applied.outcome().refused() ? applied.outcome().refusal().name() : "";
            seen[0] |= "INSUFFICIENT_FUNDS".equals(reason);
            seen[3] |= reason.endsWith("_LIMIT") || "KILL_SWITCH".equals(reason);
            for (Published p : applied.outcome().events()) {
                seen[1] |= p.address().endsWith(".trades");
                seen[2] |= p.address().startsWith("acct.") && gtdExpired(p.payload());
            }
        });
        Statistics.label("refused for funds").collect(seen[0]);
        Statistics.label("traded").collect(seen[1]);
        Statistics.label("a GTD order expired").collect(seen[2]);
        Statistics.label("auction traded").collect(driver.engine().market(2).book().lastTradeId() > 0);
        Statistics.label("refused by a risk limit").collect(seen[3]);
        Statistics.label("refused for funds").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("traded").coverage(c -> c.check(true).percentage(p -> p >= 70));
        Statistics.label("a GTD order expired").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("auction traded").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("refused by a risk limit").coverage(c -> c.check(true).percentage(p -> p >= 10));
    }

    private static boolean gtdExpired(byte[] payload) {
        try {
            AccountEvent event = AccountEvent.parseFrom(payload);
            return event.hasOrder() && event.getOrder().getStatus() == OrderStatus.ORDER_STATUS_EXPIRED
                    && event.getOrder().getTimeInForce() == TimeInForce.TIME_IN_FORCE_GTD;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
