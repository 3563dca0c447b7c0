package dev.fapi2lambda.core.authorize;

import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a username and password: the same answer and about the same time for an unknown user
 * and a wrong password, and a per-username throttle (5 failures per 15 minutes) that applies to
 * unknown names too, so it reveals nothing either.
 */
final class LoginCheck {
    static final int MAX_FAILURES = 5;
    static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
    private final UserRepository users;
    private final ItemStore store;
    private final PasswordHasher hasher;
    private volatile String dummyHash;

    LoginCheck(UserRepository users, ItemStore store, PasswordHasher hasher) {
        this.users = users;
        this.store = store;
        this.hasher = hasher;
    }

    sealed interface Outcome {
        record Success(User user) implements Outcome {
        }

        record Failure() implements Outcome {
        }

        record Throttled() implements Outcome {
        }
    }

    Outcome check(String username, String password, Instant now) {
        String throttleKey = "loginfail#" + Hashes.sha256Url(username.toLowerCase(Locale.ROOT));
        // Reserve the attempt atomically before the slow hash, so parallel attempts cannot all pass a
        // count read earlier; a success clears the count.
        long attempts = store.increment(throttleKey, "count", now.plus(THROTTLE_WINDOW), now);
        if (attempts > MAX_FAILURES) {
            return new Outcome.Throttled();
        }
        Optional<User> user = users.find(username, now);
        // Hash even for an unknown user, so timing does not tell which usernames exist.
        String hash = user.map(User::passwordHash).orElseGet(this::dummyHash);
        boolean matches = hasher.matches(password.toCharArray(), hash);
        if (user.isPresent() && matches) {
            store.consume(throttleKey, now);
            return new Outcome.Success(user.get());
        }
        return new Outcome.Failure();
    }

    private String dummyHash() {
        if (dummyHash == null) {
            dummyHash = hasher.hash("not a password of anyone".toCharArray());
        }
        return dummyHash;
    }

    static PasswordHasher defaultHasher() {
        return new PasswordHasher(new SecureRandom());
    }
}
