package dev.fapi2lambda.core.authorize;

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
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Checks a username and password with a per-username throttle of 5 attempts per 15-minute window
 * (fixed windows), reserved before the slow hash so parallel attempts cannot all pass a count
 * read earlier.
 *
 * <p>A known user's attempts are counted on the user's own item: one conditional write reserves
 * the attempt and returns the password hash, and a success releases the reservation (with the
 * login's other writes). When that write is refused, the name is unknown or its window is full:
 * while a dummy hash runs, a read tells which, and an unknown name is counted on a
 * {@code loginfail#} item, so an unknown name is throttled after as many attempts as a known one
 * and takes as long, and nothing tells which names exist. The password of a user whose window is
 * full is never checked.
 */
final class LoginCheck {
    static final int MAX_FAILURES = 5;
    static final Duration THROTTLE_WINDOW = Duration.ofMinutes(15);
    static final String ATTEMPTS = "failures.";
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
        String attempts = ATTEMPTS + now.getEpochSecond() / THROTTLE_WINDOW.toSeconds();
        Optional<Item> reserved = store.change(Change.on(UserRepository.key(username))
                .add(attempts, 1).below(attempts, MAX_FAILURES).build(), now);
        if (reserved.isEmpty()) {
            return unknownOrThrottled(username, password, now);
        }
        User user = UserRepository.fromItem(reserved.get());
        if (!hasher.matches(password.toCharArray(), user.passwordHash())) {
            return new Outcome.Failure();
        }
        Change.Builder release = Change.on(UserRepository.key(username));
        reserved.get().attributes().keySet().stream().filter(a -> a.startsWith(ATTEMPTS)).forEach(release::remove);
        return new Outcome.Success(user, Write.apply(release.build()));
    }

    /** An unknown name, or a known one whose window is full: told apart while a dummy hash takes a real check's time. */
    private Outcome unknownOrThrottled(String username, String password, Instant now) {
        String key = "loginfail#" + Hashes.sha256Url(username.toLowerCase(Locale.ROOT));
        CompletableFuture<Boolean> throttled = CompletableFuture.supplyAsync(() ->
                store.get(UserRepository.key(username), now).isPresent()
                        || store.increment(key, "count", now.plus(THROTTLE_WINDOW), now) > MAX_FAILURES);
        hasher.matches(password.toCharArray(), dummyHash());
        return throttled.join() ? new Outcome.Throttled() : new Outcome.Failure();
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
