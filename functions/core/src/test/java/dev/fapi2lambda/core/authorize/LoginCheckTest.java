package dev.fapi2lambda.core.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.store.Write;
import dev.fapi2lambda.core.testing.CoreFixture;
import dev.fapi2lambda.core.user.PasswordHasher;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** C-AZ-6: the login throttle, reserved before the hash, counted on the user's item. */
class LoginCheckTest {
    private final CoreFixture f = new CoreFixture();
    private final LoginCheck check = new LoginCheck(f.store, new PasswordHasher(new SecureRandom(), 1000));

    private Instant now() {
        return f.clock.instant();
    }

    @Test
    @DisplayName("C-AZ-6 of 12 parallel wrong passwords for one user, at most 5 are checked; the rest are throttled")
    void parallelAttemptsAreReservedBeforeTheHash() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<LoginCheck.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return check.check(CoreFixture.USERNAME, "wrong " + n, now());
                }));
            }
            start.countDown();
            int failures = 0;
            int throttled = 0;
            for (Future<LoginCheck.Outcome> o : outcomes) {
                LoginCheck.Outcome outcome = o.get();
                failures += outcome instanceof LoginCheck.Outcome.Failure ? 1 : 0;
                throttled += outcome instanceof LoginCheck.Outcome.Throttled ? 1 : 0;
            }
            assertEquals(5, failures);
            assertEquals(7, throttled);
        } finally {
            pool.shutdownNow();
        }
        assertInstanceOf(LoginCheck.Outcome.Throttled.class, check.check(CoreFixture.USERNAME, CoreFixture.PASSWORD, now()),
                "the right password is not even checked while the window is full");
    }

    @Test
    @DisplayName("C-AZ-6 an unknown name is throttled after as many attempts as a known one")
    void unknownNamesAreThrottledAlike() {
        for (String name : List.of(CoreFixture.USERNAME, "nobody")) {
            for (int i = 0; i < 5; i++) {
                assertInstanceOf(LoginCheck.Outcome.Failure.class, check.check(name, "wrong", now()), name);
            }
            assertInstanceOf(LoginCheck.Outcome.Throttled.class, check.check(name, "wrong", now()), name);
        }
    }

    @Test
    @DisplayName("C-AZ-6 a success releases its reservation only when its write is committed; the next window starts afresh")
    void successReleasesAndWindowsRoll() {
        for (int i = 0; i < 4; i++) {
            check.check(CoreFixture.USERNAME, "wrong", now());
        }
        LoginCheck.Outcome success = check.check(CoreFixture.USERNAME, CoreFixture.PASSWORD, now());
        Write release = assertInstanceOf(LoginCheck.Outcome.Success.class, success).release();
        // Not committed: the window is full (4 failures + the success's reservation).
        assertInstanceOf(LoginCheck.Outcome.Throttled.class, check.check(CoreFixture.USERNAME, CoreFixture.PASSWORD, now()));
        assertTrue(f.store.transact(List.of(release), now()).isEmpty());
        assertInstanceOf(LoginCheck.Outcome.Success.class, check.check(CoreFixture.USERNAME, CoreFixture.PASSWORD, now()));
        for (int i = 0; i < 5; i++) {
            check.check(CoreFixture.USERNAME, "wrong", now());
        }
        assertInstanceOf(LoginCheck.Outcome.Throttled.class, check.check(CoreFixture.USERNAME, "wrong", now()));
        f.clock.advance(LoginCheck.THROTTLE_WINDOW.plus(Duration.ofSeconds(1)));
        assertInstanceOf(LoginCheck.Outcome.Success.class, check.check(CoreFixture.USERNAME, CoreFixture.PASSWORD, now()));
    }

    @Test
    @DisplayName("C-AZ-6 known and unknown names are counted in the same fixed windows: a new window answers alike")
    void windowsAreTheSameForKnownAndUnknownNames() {
        f.clock.advance(Duration.ofMinutes(7));     // 12:07, in the window that started at 12:00
        for (String name : List.of(CoreFixture.USERNAME, "nobody")) {
            for (int i = 0; i < 5; i++) {
                check.check(name, "wrong", now());
            }
        }
        f.clock.advance(Duration.ofMinutes(8).plusSeconds(1));                     // the next window
        for (String name : List.of(CoreFixture.USERNAME, "nobody")) {
            assertInstanceOf(LoginCheck.Outcome.Failure.class, check.check(name, "wrong", now()), name);
        }
    }

    @Test
    @DisplayName("C-AZ-6 a name differing only in case is another name, for known and unknown names alike")
    void caseVariantsAreOtherNames() {
        for (String name : List.of(CoreFixture.USERNAME, "nobody")) {
            for (int i = 0; i < 5; i++) {
                check.check(name, "wrong", now());
            }
            String variant = name.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + name.substring(1);
            assertInstanceOf(LoginCheck.Outcome.Failure.class, check.check(variant, "wrong", now()), variant);
            assertInstanceOf(LoginCheck.Outcome.Throttled.class, check.check(name, "wrong", now()), name);
        }
    }

    @Test
    @DisplayName("C-AZ-6 failures in earlier windows do not pile up on the user's item; an over-long name is refused")
    void earlierWindowsAreDropped() {
        for (int window = 0; window < 4; window++) {
            check.check(CoreFixture.USERNAME, "wrong", now());
            check.check(CoreFixture.USERNAME, "wrong", now());
            f.clock.advance(LoginCheck.THROTTLE_WINDOW);
        }
        long counts = f.store.get("user#" + CoreFixture.USERNAME, now()).orElseThrow().attributes().keySet().stream()
                .filter(a -> a.startsWith(LoginCheck.ATTEMPTS)).count();
        assertEquals(1, counts, "only the last window's count is kept");
        assertInstanceOf(LoginCheck.Outcome.Failure.class, check.check("a".repeat(10_000), "wrong", now()));
    }
}
