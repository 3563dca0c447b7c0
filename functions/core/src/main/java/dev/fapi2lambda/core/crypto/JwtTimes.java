package dev.fapi2lambda.core.crypto;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/** The time rules every JWT this server receives obeys. */
public final class JwtTimes {
    private JwtTimes() {
    }

    /**
     * FAPI 2.0 SP 5.3.2.1 (clock skew): iat or nbf up to {@code maxFutureSkew} (10 s) in the future is
     * accepted, later is rejected. Returns a problem or empty.
     */
    public static Optional<String> notInFuture(String claim, Date value, Instant now, Duration maxFutureSkew) {
        if (value != null && value.toInstant().isAfter(now.plus(maxFutureSkew))) {
            return Optional.of(claim + " is too far in the future");
        }
        return Optional.empty();
    }
}
