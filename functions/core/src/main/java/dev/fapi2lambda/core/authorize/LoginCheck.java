package dev.fapi2lambda.core.authorize;

import dev.fapi2lambda.core.concurrent.Beside;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.store.Change;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
import dev.fapi2lambda.core.user.PasswordHasher;
import dev.fapi2lambda.core.user.User;
import dev.fapi2lambda.core.user.UserRepository;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a username and password with a per-username throttle of 5 attempts per fixed 15-minute
 * window, reserved before the slow hash so parallel attempts cannot all pass a count read earlier.
 *
 * <p>A known user's attempts are counted on the user's own item: one conditional write reserves
 * the attempt and returns the password hash, and a success releases the reservation (with the
 * login's other writes). When that write is refused, the name is unknown or its window is full:
 * while a dummy hash runs, a read tells which, and an unknown name is counted the same way (same
 * name, same window) on a {@code loginfail#<name>#<window>} item. So an unknown name is throttled
 * exactly when a known one would be, and takes as long: nothing tells which names exist. The
 * password of a user whose window is full is never checked.
 */
final class LoginCheck {
    static final int MAX_FAILURES = 5;
    static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
    static final String ATTEMPTS = "failures.";
    /** Longer names are no one's (and would not fit a DynamoDB key): refused like an unknown name. */
    static final int MAX_USERNAME = 256;
    private final ItemStore store;
    private final PasswordHasher hasher;
    private volatile String dummyHash;

    LoginCheck(ItemStore store, PasswordHasher hasher) {
        this.store = store;
        this.hasher = hasher;
    }

    sealed interface Outcome {
        /** The password matched; {@code release} gives back the reserved attempt. */
        record Success(User user, Write release) implements Outcome {
        }

        record Failure() implements Outcome {
        }

        record Throttled() implements Outcome {
        }
    }

    Outcome check(String username, String password, Instant now) {
        long window = now.getEpochSecond() / THROTTLE_WINDOW.toSeconds();
        String attempts = ATTEMPTS + window;
        boolean possible = username.length() <= MAX_USERNAME;
        Optional<Item> reserved = possible ? store.change(Change.on(UserRepository.key(username))
                .add(attempts, 1).below(attempts, MAX_FAILURES).build(), now) : Optional.empty();
        if (reserved.isEmpty()) {
            return unknownOrThrottled(username, possible, password, window, now);
        }
        User user = UserRepository.fromItem(reserved.get());
        List<String> earlier = reserved.get().attributes().keySet().stream()
                .filter(a -> a.startsWith(ATTEMPTS) && !a.equals(attempts)).toList();
        if (!hasher.matches(password.toCharArray(), user.passwordHash())) {
            if (!earlier.isEmpty()) {
                // Counts of past windows are dropped, so failures cannot grow the user's item.
                Change.Builder drop = Change.on(UserRepository.key(username));
                earlier.forEach(drop::remove);
                store.change(drop.build(), now);
            }
            return new Outcome.Failure();
        }
        Change.Builder release = Change.on(UserRepository.key(username)).remove(attempts);
        earlier.forEach(release::remove);
        return new Outcome.Success(user, Write.apply(release.build()));
    }

    /** An unknown name, or a known one whose window is full: told apart while a dummy hash takes a real check's time. */
    private Outcome unknownOrThrottled(String username, boolean possible, String password, long window, Instant now) {
        String key = "loginfail#" + Hashes.sha256Url(username) + "#" + window;
        Instant windowEnd = Instant.ofEpochSecond((window + 1) * THROTTLE_WINDOW.toSeconds());
        CompletableFuture<Boolean> throttled = Beside.start(() ->
                (possible && store.get(UserRepository.key(username), now).isPresent())
                        || store.increment(key, "count", windowEnd, now) > MAX_FAILURES);
        hasher.matches(password.toCharArray(), dummyHash());
        return Beside.join(throttled) ? new Outcome.Throttled() : new Outcome.Failure();
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
