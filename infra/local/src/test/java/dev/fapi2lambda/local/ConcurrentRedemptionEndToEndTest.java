package dev.fapi2lambda.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.Scope;
import dev.fapi2lambda.core.testing.TestKeys;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One code, 50 parallel redemptions through the local server, with the default 60 s code lifetime. */
class ConcurrentRedemptionEndToEndTest {
    @TempDir
    static Path state;
    static LocalApp app;

    @BeforeAll
    static void start() throws Exception {
        app = LocalApp.start(state, 0, true, Optional.empty(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    @DisplayName("C-TOK-1 50 parallel redemptions of one code: exactly one 200")
    void fiftyParallelRedemptions() throws Exception {
        FapiClient client = new FapiClient(app.issuer(), app.caFile(), app.demo().clientId(), app.demo().clientKey(),
                TestKeys.ec(), URI.create(app.demo().redirectUri()));
        FapiClient.Started started = client.par(new Scope("openid", "accounts"));
        HttpResponse<String> page = client.login(started.requestUri(), client.authorize(started.requestUri()),
                app.demo().username(), app.demo().password());
        AuthorizationResponse callback = client.callback(client.consent(started.requestUri(), page, "allow"), started);
        var code = callback.toSuccessResponse().getAuthorizationCode();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return client.token(code, started.verifier()).response().getStatusCode();
                }));
            }
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> r : results) {
                codes.add(r.get());
            }
            assertEquals(1, codes.stream().filter(c -> c == 200).count(), codes.toString());
            assertEquals(49, codes.stream().filter(c -> c == 400).count(), codes.toString());
            assertTrue(codes.stream().allMatch(c -> c == 200 || c == 400));
        } finally {
            pool.shutdownNow();
        }
    }
}
