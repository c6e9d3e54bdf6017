package io.trademesh.risk.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing of API key secrets: opens back, random IV, bound to the key id, tamper-evident. */
class SecretBoxTest {

    private final byte[] key = new byte[32];
    private final SecretBox box;

    SecretBoxTest() {
        Arrays.fill(key, (byte) 7);
        box = new SecretBox(key, new SecureRandom());
    }

    @Test
    void sealsAndOpensWithAFreshIvEachTime() throws Exception {
        String secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        byte[] a = box.seal("aaaaaaaaaaaaaaaaaaaaaaaa", secret);
        byte[] b = box.seal("aaaaaaaaaaaaaaaaaaaaaaaa", secret);
        assertFalse(Arrays.equals(a, b), "a random IV per seal");
        assertEquals(1 + 12 + secret.length() + 16, a.length);
        assertFalse(new String(a, StandardCharsets.ISO_8859_1).contains(secret));
        assertEquals(secret, box.open("aaaaaaaaaaaaaaaaaaaaaaaa", a));
        assertEquals(secret, box.open("aaaaaaaaaaaaaaaaaaaaaaaa", b));
    }

    @Test
    void refusesAnotherKeyIdAnotherKeyAndTampering() {
        byte[] sealed = box.seal("aaaaaaaaaaaaaaaaaaaaaaaa", "s3cret");
        assertThrows(GeneralSecurityException.class, () -> box.open("bbbbbbbbbbbbbbbbbbbbbbbb", sealed));
        byte[] otherKey = key.clone();
        otherKey[0] ^= 1;
        assertThrows(GeneralSecurityException.class,
                () -> new SecretBox(otherKey, new SecureRandom()).open("aaaaaaaaaaaaaaaaaaaaaaaa", sealed));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(GeneralSecurityException.class, () -> box.open("aaaaaaaaaaaaaaaaaaaaaaaa", tampered));
        byte[] unknownVersion = sealed.clone();
        unknownVersion[0] = 9;
        assertThrows(GeneralSecurityException.class, () -> box.open("aaaaaaaaaaaaaaaaaaaaaaaa", unknownVersion));
        assertNotEquals(0, sealed.length);
    }
}
