package dev.fapi2lambda.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.dpop.WindowedDpopNonces;
import dev.fapi2lambda.core.store.Item;
import dev.fapi2lambda.core.testing.AtOnce;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The server's DPoP nonces (RFC 9449 8, 9) over DynamoDB Local's real API: each instance stands
 * for one Lambda container, all sharing the table.
 */
@DisplayName("WindowedDpopNonces on DynamoDB Local")
class DynamoDbWindowedDpopNoncesTest {
    private static final Duration WINDOW = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-24T12:00:00Z");
    private final DynamoDbItemStore store = TestDynamo.freshStore();

    private WindowedDpopNonces container() {
        return new WindowedDpopNonces(store, new Secrets(new SecureRandom()), WINDOW);
    }

    private static String key(Instant now) {
        return "dpopnonce#" + Math.floorDiv(now.getEpochSecond(), WINDOW.toSeconds());
    }

    @Test
    @DisplayName("C-RS-3 20 containers drawing one window's nonce at once all serve the nonce that was stored")
    void containersRacingAgree() throws Exception {
        List<String> served = AtOnce.run(20, i -> {
            WindowedDpopNonces container = container();
            return () -> container.current(T0).orElseThrow();
        });
        String stored = store.get(key(T0), T0).orElseThrow().required("nonce");
        assertEquals(Set.of(stored), new HashSet<>(served));
        assertEquals(Optional.empty(), container().challenge(Optional.of(stored), T0.plusSeconds(30)),
                "a container that never drew it accepts it");
    }

    @Test
    @DisplayName("C-RS-3 a leftover nonce item that has expired (TTL not yet run) is neither served nor accepted; a new one replaces it")
    void expiredLeftoverIsReplaced() throws Exception {
        // Written items expire at the end of the next window, so this leftover is defence in depth: any
        // item past its expiresAt that TTL has not deleted yet must count as absent.
        store.put(Item.of(key(T0)).put("nonce", "leftover").expiresAt(T0.minusSeconds(1)).build());
        List<String> served = AtOnce.run(10, i -> {
            WindowedDpopNonces container = container();
            return () -> container.challenge(Optional.of("leftover"), T0).orElseThrow();
        });
        String stored = store.get(key(T0), T0).orElseThrow().required("nonce");
        assertNotEquals("leftover", stored);
        assertEquals(Set.of(stored), new HashSet<>(served), "each container refused the leftover with the new nonce");
    }
}
