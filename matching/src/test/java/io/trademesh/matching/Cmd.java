package io.trademesh.matching;

/**
 * One random command of a property test, in raw form; {@link Driver} turns it into a book call. {@code misc} feeds
 * the small choices (time step, client id, target, rare invalid values) so that shrinking stays meaningful.
 */
record Cmd(Kind kind, int account, Side side, int priceTicks, int lots, int flavour, SelfTradePrevention stp,
           int misc) {

    enum Kind { NEW, CANCEL, CANCEL_BY_CLIENT, AMEND, AMEND_BY_CLIENT, MASS_CANCEL, TICK, REFERENCE }

    Cmd withStp(final SelfTradePrevention value) {
        return new Cmd(kind, account, side, priceTicks, lots, flavour, value, misc);
    }
}
