package io.trademesh.platform.cluster;

import io.trademesh.proto.common.Product;
import io.trademesh.proto.wallet.Wallet;

/**
 * Which service owns each product and its wallet, written once for every caller that
 * routes by product (the gateway, risk-service's transfers, the audit).
 */
public final class ProductOwners {

    private ProductOwners() {
    }

    /** The service owning {@code product}'s markets and wallet; null for an unspecified product. */
    public static String service(Product product) {
        return switch (product) {
            case PRODUCT_SPOT -> "spot-service";
            case PRODUCT_FUTURES -> "futures-service";
            case PRODUCT_OPTIONS -> "options-service";
            case PRODUCT_MONEY_MARKET -> "moneymarket-service";
            default -> null;
        };
    }

    /** The product a wallet belongs to; unspecified for the funding wallet (risk-service's own). */
    public static Product product(Wallet wallet) {
        return switch (wallet) {
            case WALLET_SPOT -> Product.PRODUCT_SPOT;
            case WALLET_FUTURES -> Product.PRODUCT_FUTURES;
            case WALLET_OPTIONS -> Product.PRODUCT_OPTIONS;
            case WALLET_MONEY_MARKET -> Product.PRODUCT_MONEY_MARKET;
            default -> Product.PRODUCT_UNSPECIFIED;
        };
    }
}
