package dev.fapi2lambda.core.crypto;

import com.nimbusds.jose.util.Base64URL;
import java.security.SecureRandom;

/**
 * Issues random values: request URIs, codes, tokens, nonces. Drawn at request time from one
 * SecureRandom, never during initialisation (a SnapStart snapshot would clone them). Values are
 * base64url, a subset of RFC 6749 A.17's characters.
 */
public final class Secrets {
    /** 256 bits: twice FAPI 2.0's 128-bit floor (C-CRY-1). */
    public static final int BYTES = 32;
    private final SecureRandom random;

    public Secrets(SecureRandom random) {
        this.random = random;
    }

    public String next() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return Base64URL.encode(bytes).toString();
    }
}
