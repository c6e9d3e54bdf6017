package io.trademesh.options.pricing;

/**
 * One option's model price and sensitivities, per unit of the underlying: delta, gamma (per
 * unit of the underlying's price), vega (per volatility point) and theta (per calendar day).
 * Mutable and reused, so that pricing a chain allocates nothing.
 */
public final class Greeks {
    public double price;
    public double delta;
    public double gamma;
    public double vega;
    public double theta;
}
