package io.trademesh.matching;

/** Receives the levels of an L2 view, best price first. */
@FunctionalInterface
public interface LevelVisitor {
    void onLevel(Side side, long price, long totalQuantity, int orderCount);
}
