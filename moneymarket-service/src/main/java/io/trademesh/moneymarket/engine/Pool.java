package io.trademesh.moneymarket.engine;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One asset's lending pool: its terms, its interest indices and rates, its cash, the scaled
 * totals of what suppliers may claim and borrowers owe, and its reserves and deficit.
 *
 * <h2>Accounting</h2>
 * {@code cash + borrowed = supplied + reserves - deficit} holds exactly after every change,
 * with {@code supplied} the scaled supply total at the supply index rounded down and
 * {@code borrowed} the scaled debt total at the borrow index rounded up. Each change
 * measures what it did to the cash and to {@code supplied - borrowed}; the difference is the
 * pool's own gain or loss and is booked ({@link #close}): a gain pays the deficit first, then
 * adds to reserves; a loss takes from reserves first, then adds to the deficit. The gains
 * are the reserve factor's share of interest, the protocol's share of liquidation bonuses
 * and the rounding dust of every conversion (which always favours the pool); the only loss
 * is debt written off. Reserves and a deficit are therefore never both positive.
 */
public final class Pool {

    final int id;
    PoolTerms terms;
    long supplyIndex = RateModel.INDEX_ONE;
    long borrowIndex = RateModel.INDEX_ONE;
    long accruedToMs;
    long scaledSupply;
    long scaledDebt;
    long cash;
    long reserves;
    long deficit;
    long borrowRate;
    long supplyRate;
    /** One whole coin in the value asset at 8 decimals; 0 until an index price arrives. */
    long priceE8;
    long priceAtMs;
    /** 10^decimals. */
    final long unit;

    private long openCash;
    private long openClaims;

    Pool(int id, PoolTerms terms, long nowMs) {
        this.id = id;
        this.terms = terms;
        this.accruedToMs = nowMs;
        this.unit = pow10(terms.decimals());
        updateRates();
    }

    public int id() {
        return id;
    }

    public PoolTerms terms() {
        return terms;
    }

    public String asset() {
        return terms.asset();
    }

    public long supplyIndex() {
        return supplyIndex;
    }

    public long borrowIndex() {
        return borrowIndex;
    }

    public long cash() {
        return cash;
    }

    public long reserves() {
        return reserves;
    }

    public long deficit() {
        return deficit;
    }

    public long borrowRate() {
        return borrowRate;
    }

    public long supplyRate() {
        return supplyRate;
    }

    public long priceE8() {
        return priceE8;
    }

    public long priceAtMs() {
        return priceAtMs;
    }

    public long scaledSupply() {
        return scaledSupply;
    }

    public long scaledDebt() {
        return scaledDebt;
    }

    /** The supply index as it would be accrued to {@code nowMs} (reads never accrue; see accrue). */
    public long supplyIndexAt(long nowMs) {
        long dt = nowMs - accruedToMs;
        return RateModel.compoundedIndex(borrowIndex, borrowRate, dt) >= RateModel.MAX_INDEX ? supplyIndex
                : RateModel.linearIndex(supplyIndex, supplyRate, dt);
    }

    /** The borrow index as it would be accrued to {@code nowMs}. */
    public long borrowIndexAt(long nowMs) {
        long next = RateModel.compoundedIndex(borrowIndex, borrowRate, nowMs - accruedToMs);
        return next >= RateModel.MAX_INDEX ? borrowIndex : next;
    }

    /** What suppliers may claim, rounded down. */
    public long supplied() {
        return RateModel.amountDown(scaledSupply, supplyIndex);
    }

    /** What borrowers owe, rounded up. */
    public long borrowed() {
        return RateModel.amountUp(scaledDebt, borrowIndex);
    }

    public long utilization() {
        return RateModel.utilization(cash, borrowed());
    }

    /**
     * Advances both indices to {@code nowMs} at the rates set by the last change and books the
     * spread. An accrual never books a loss: where rounding would make the suppliers' claims
     * grow more than the borrowers' debts (a unit, on tiny increments), the supply index waits
     * for the next one. At {@link RateModel#MAX_INDEX} both indices stop.
     */
    void accrue(long nowMs) {
        long dt = nowMs - accruedToMs;
        if (dt <= 0) {
            return;
        }
        accruedToMs = nowMs;
        long nextBorrow = RateModel.compoundedIndex(borrowIndex, borrowRate, dt);
        if (nextBorrow >= RateModel.MAX_INDEX) {
            return;
        }
        long nextSupply = RateModel.linearIndex(supplyIndex, supplyRate, dt);
        open();
        long debtGrowth = RateModel.amountUp(scaledDebt, nextBorrow) - borrowed();
        if (RateModel.amountDown(scaledSupply, nextSupply) - supplied() <= debtGrowth) {
            supplyIndex = nextSupply;
        }
        borrowIndex = nextBorrow;
        close();
    }


    /** Starts measuring a change (see the class comment). */
    void open() {
        openCash = cash;
        openClaims = supplied() - borrowed();
    }

    /** Books what the change since {@link #open} gained or lost the pool, and resets the rates. */
    void close() {
        long gain = (cash - openCash) - (supplied() - borrowed() - openClaims);
        if (gain >= 0) {
            long cover = Math.min(gain, deficit);
            deficit -= cover;
            reserves += gain - cover;
        } else {
            long take = Math.min(-gain, reserves);
            reserves -= take;
            deficit += -gain - take;
        }
        updateRates();
    }

    /**
     * The borrow rate from the utilisation; the supply rate from the share of the suppliers'
     * claims that is lent out, {@code borrowed / supplied}. That equals the utilisation while the
     * pool has neither reserves nor a deficit, and beyond that it keeps the suppliers' interest
     * at exactly {@code 1 - reserve factor} of the borrowers' (less the compounding spread, which
     * also goes to reserves): a deficit is paid down by interest instead of growing with it.
     */
    void updateRates() {
        long borrowed = borrowed();
        PoolTerms t = terms;
        borrowRate = RateModel.borrowRate(RateModel.utilization(cash, borrowed), t.optimalUtilization(),
                t.baseRate(), t.slope1(), t.slope2());
        long supplied = supplied();
        long lentShare = supplied <= 0 ? 0
                : Math.min(RateModel.ONE, io.trademesh.platform.trading.FixedPoint.mulDivFloor(borrowed, RateModel.ONE,
                supplied));
        supplyRate = RateModel.supplyRate(borrowRate, lentShare, t.reserveFactor());
    }

    /** {@code amount} of this asset in the value asset at 8 decimals, rounded down (collateral). */
    long valueDown(long amount) {
        return io.trademesh.platform.trading.FixedPoint.mulDivFloor(amount, priceE8, unit);
    }

    /** {@code amount} in the value asset, rounded up (debt). */
    long valueUp(long amount) {
        return io.trademesh.platform.trading.FixedPoint.mulDivCeil(amount, priceE8, unit);
    }

    /** The amount of this asset worth {@code valueE8}, rounded down. */
    long amountOfValue(long valueE8) {
        return io.trademesh.platform.trading.FixedPoint.mulDivFloor(valueE8, unit, priceE8);
    }

    static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }

    void write(DataOutput out) throws IOException {
        terms.write(out);
        for (long v : new long[] {supplyIndex, borrowIndex, accruedToMs, scaledSupply, scaledDebt, cash, reserves,
                deficit, borrowRate, supplyRate, priceE8, priceAtMs}) {
            out.writeLong(v);
        }
    }

    static Pool read(int id, DataInput in) throws IOException {
        PoolTerms terms = PoolTerms.read(in);
        Pool p = new Pool(id, terms, 0);
        p.supplyIndex = in.readLong();
        p.borrowIndex = in.readLong();
        p.accruedToMs = in.readLong();
        p.scaledSupply = in.readLong();
        p.scaledDebt = in.readLong();
        p.cash = in.readLong();
        p.reserves = in.readLong();
        p.deficit = in.readLong();
        p.borrowRate = in.readLong();
        p.supplyRate = in.readLong();
        p.priceE8 = in.readLong();
        p.priceAtMs = in.readLong();
        return p;
    }
}
