package io.trademesh.options.engine;

import io.trademesh.options.pricing.ChainPricer;
import java.util.ArrayList;
import java.util.List;

/**
 * One chain: an underlying's instruments of one expiry, their pricer (marks, volatilities and
 * greeks in arrays, recomputed together), and the settlement: index samples taken every
 * {@code sampleMs} in the last {@code windowMs}, averaged at expiry.
 */
public final class Expiry {

    final Underlying underlying;
    final long expiryMs;
    final long windowMs;
    final long sampleMs;
    final List<Instrument> instruments = new ArrayList<>();
    ChainPricer pricer = new ChainPricer(0);
    long sampleSum;
    int samples;
    long nextSampleMs;
    boolean settled;
    long settlementPrice;

    Expiry(Underlying underlying, long expiryMs, long windowMs, long sampleMs) {
        this.underlying = underlying;
        this.expiryMs = expiryMs;
        this.windowMs = windowMs;
        this.sampleMs = sampleMs;
        this.nextSampleMs = expiryMs - windowMs;
    }

    /** The pricer's arrays sized for the instruments, their terms filled in. */
    void rebuildPricer() {
        pricer = new ChainPricer(instruments.size());
        for (int i = 0; i < instruments.size(); i++) {
            Instrument x = instruments.get(i);
            x.slot = i;
            pricer.call[i] = x.call;
            pricer.strike[i] = x.strike;
            pricer.expiryMs[i] = expiryMs;
        }
    }

    /** The average of the samples so far, rounded half up; 0 before the first. */
    public long estimatedSettlement() {
        return samples == 0 ? 0 : Math.floorDiv(2 * sampleSum + samples, 2L * samples);
    }

    public boolean inWindow(long nowMs) {
        return !settled && nowMs >= expiryMs - windowMs;
    }

    public Underlying underlying() {
        return underlying;
    }

    public long expiryMs() {
        return expiryMs;
    }

    public List<Instrument> instruments() {
        return List.copyOf(instruments);
    }

    public boolean settled() {
        return settled;
    }

    public long settlementPrice() {
        return settlementPrice;
    }

    public long windowMs() {
        return windowMs;
    }

    public long sampleMs() {
        return sampleMs;
    }

    public ChainPricer pricer() {
        return pricer;
    }
}
