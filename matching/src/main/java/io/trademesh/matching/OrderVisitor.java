package io.trademesh.matching;

/** Receives the orders of an L3 view, best price first and in time priority within a price. */
@FunctionalInterface
public interface OrderVisitor {
    /** Do not keep {@code order}; see {@link OrderView}. */
    void onOrder(OrderView order);
}
