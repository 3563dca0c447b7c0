package dev.fapi2lambda.core.client;

import java.util.Arrays;
import java.util.Optional;

/** Client authentication methods FAPI 2.0 SP 5.3.2.1 allows. */
public enum AuthMethod {
    PRIVATE_KEY_JWT("private_key_jwt"),
    /** RFC 8705 2.1: a certificate from a trusted CA with the registered subject DN or SAN. */
    TLS_CLIENT_AUTH("tls_client_auth"),
    /** RFC 8705 2.2: a (self-signed) certificate whose public key is one of the registered keys. */
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth");

    private final String value;

    AuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean isMtls() {
        return this != PRIVATE_KEY_JWT;
    }

    public static Optional<AuthMethod> of(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }
}
