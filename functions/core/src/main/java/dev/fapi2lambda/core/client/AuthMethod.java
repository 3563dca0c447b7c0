package dev.fapi2lambda.core.client;

import java.util.Arrays;
import java.util.Optional;

/** Client authentication methods FAPI 2.0 SP 5.3.2.1 allows. mTLS methods arrive with their issue. */
public enum AuthMethod {
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String value;

    AuthMethod(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<AuthMethod> of(String value) {
        return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
    }
}
