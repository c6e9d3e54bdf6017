package io.trademesh.platform.store;

/** The store cannot go on: it failed to open, a write failed, or recovery found state it cannot use. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
