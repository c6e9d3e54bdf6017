package io.trademesh.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 request signatures, hex encoded, compared in constant time. */
public final class Signatures {

    /** One per thread, re-keyed per call: Mac.getInstance looks up the provider and builds a digest each time. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    });

    private Signatures() {
    }

    public static String sign(String secret, String payload) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 refused the key", e);
        }
    }

    public static boolean verify(String secret, String payload, String signatureHex) {
        byte[] expected = sign(secret, payload).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHex.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /**
     * What a REST request signs, four lines joined by '\n': the method in capitals, the path
     * as sent (no query), the raw query string without the {@code signature} parameter, and
     * the raw body (empty when there is none). Binding the method and path means a signature
     * for {@code GET /v1/orders/50} cannot be replayed as {@code DELETE /v1/orders/50}.
     */
    public static String payload(String method, String path, String rawQuery, String body) {
        StringBuilder q = new StringBuilder(method.length() + path.length() + 128);
        q.append(method).append('\n').append(path).append('\n');
        int start = q.length();
        if (rawQuery != null) {
            for (String part : rawQuery.split("&")) {
                if (part.isEmpty() || part.startsWith("signature=")) {
                    continue;
                }
                if (q.length() > start) {
                    q.append('&');
                }
                q.append(part);
            }
        }
        return q.append('\n').append(body == null ? "" : body).toString();
    }

    /** What a WebSocket login signs: {@code login}, the nonce the socket was greeted with, and the timestamp. */
    public static String loginPayload(String nonce, String timestamp) {
        return "login\n" + nonce + "\n" + timestamp;
    }
}
