package io.trademesh.platform.cluster;

import io.trademesh.proto.common.Product;
import io.trademesh.proto.wallet.Wallet;
import java.util.List;

/**
 * Which service owns each product and its wallet, written once for every caller that
 * routes by product (the gateway, risk-service's transfers, the audit).
 */
public final class ProductOwners {

    /** The product services, in the order of {@link Product}. */
    public static final List<Product> PRODUCTS = List.of(Product.PRODUCT_SPOT, Product.PRODUCT_FUTURES,
            Product.PRODUCT_OPTIONS, Product.PRODUCT_MONEY_MARKET);

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

    /** The product's wallet. */
    public static Wallet wallet(Product product) {
        return switch (product) {
            case PRODUCT_SPOT -> Wallet.WALLET_SPOT;
            case PRODUCT_FUTURES -> Wallet.WALLET_FUTURES;
            case PRODUCT_OPTIONS -> Wallet.WALLET_OPTIONS;
            case PRODUCT_MONEY_MARKET -> Wallet.WALLET_MONEY_MARKET;
            default -> Wallet.WALLET_UNSPECIFIED;
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

    /** A product's short name in the API and the event stream ({@code spot}, {@code moneymarket}). */
    public static String shortName(Product product) {
        String s = service(product);
        return s == null ? null : s.substring(0, s.length() - "-service".length());
    }
}
