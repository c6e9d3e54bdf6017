package io.trademesh.risk.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals API key secrets for the journal and snapshots: AES-256-GCM with a random 96-bit IV
 * per secret and the key id as additional authenticated data, so a sealed secret cannot be
 * moved to another key id unnoticed.
 * <pre>
 * sealed = version (1 byte, 1) | iv (12 bytes) | ciphertext | tag (16 bytes)
 * </pre>
 * Thread-safe: a cipher is made per call.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random;

    public SecretBox(byte[] key, SecureRandom random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("AES-256 needs a 32-byte key, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = random;
    }

    public byte[] seal(String keyId, String secret) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(1 + IV_BYTES + sealed.length).put(VERSION).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    /** The secret; fails when the sealed bytes were not sealed for {@code keyId} under this key. */
    public String open(String keyId, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new GeneralSecurityException("sealed secret of key " + keyId + " has an unknown format");
        }
        Cipher c = Cipher.getInstance(TRANSFORMATION);
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1, 1 + IV_BYTES)));
        c.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
        byte[] plain = c.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
        return new String(plain, StandardCharsets.UTF_8);
    }
}
