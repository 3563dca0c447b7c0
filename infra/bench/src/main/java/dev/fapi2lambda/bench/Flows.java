package dev.fapi2lambda.bench;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.fapi2lambda.local.BenchServers;
import dev.fapi2lambda.local.FapiClient;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One complete flow through FapiClient, each step timed: a new client instance and browser per
 * flow (a returning browser would skip the login through its session cookie), so discovery is a
 * step of its own and the first PAR takes the DPoP nonce round trip.
 */
final class Flows {
    static final List<String> STEPS = List.of("discovery", "par", "authorize", "login", "consent", "token", "userinfo");
    static final Scope SCOPE = new Scope("openid", "profile", "email", "accounts");
    /** An API-only flow: no openid, so /token signs no ID token and the client has no use for userinfo. */
    static final Scope SCOPE_WITHOUT_OPENID = new Scope("accounts");

    /** Told after each step has completed. */
    interface Listener {
        void after(String step);
    }

    /** A flow's step times in ms (completed steps only) and, if it failed, where and why. */
    record Result(Map<String, Double> ms, String failedStep, String error) {
        boolean ok() {
            return failedStep == null;
        }
    }

    private Flows() {
    }

    static Result run(BenchServers.Running server, Listener listener) {
        return run(server, SCOPE, listener);
    }

    /**
     * With openid the flow ends at userinfo and /token must answer an ID token; without it, /token
     * must answer none and the flow ends there (userinfo is OpenID Connect's, for openid tokens).
     */
    static Result run(BenchServers.Running server, Scope scope, Listener listener) {
        boolean openid = scope.contains("openid");
        Map<String, Double> ms = new LinkedHashMap<>();
        String step = "discovery";
        FapiClient client = null;
        try {
            ECKey dpopKey = new ECKeyGenerator(Curve.P_256).generate();
            long t = System.nanoTime();
            client = new FapiClient(server.issuer(), server.caFile(), server.clientId(), server.clientKey(),
                    dpopKey, URI.create(server.redirectUri()));
            t = done(ms, step, t, listener);

            step = "par";
            FapiClient.Started started = client.par(scope);
            t = done(ms, step, t, listener);

            step = "authorize";
            HttpResponse<String> page = client.authorize(started.requestUri());
            require(page.statusCode() == 200 && page.body().contains("name=\"password\""), page);
            t = done(ms, step, t, listener);

            step = "login";
            page = client.login(started.requestUri(), page, server.username(), server.password());
            require(page.statusCode() == 200 && page.body().contains("name=\"decision\""), page);
            t = done(ms, step, t, listener);

            step = "consent";
            HttpResponse<String> redirect = client.consent(started.requestUri(), page, "allow");
            AuthorizationResponse callback = client.callback(redirect, started);
            t = done(ms, step, t, listener);

            step = "token";
            FapiClient.Tokens tokens = client.token(callback.toSuccessResponse().getAuthorizationCode(), started.verifier());
            if (tokens.accessToken() == null || (tokens.idToken() == null) == openid) {
                throw new IllegalStateException("token " + tokens.response().getStatusCode() + " "
                        + (openid ? "" : "(an ID token without openid) ") + tokens.response().getBody());
            }
            t = done(ms, step, t, listener);
            if (!openid) {
                return new Result(ms, null, null);
            }

            step = "userinfo";
            HTTPResponse userinfo = client.userinfo(tokens.accessToken());
            if (userinfo.getStatusCode() != 200) {
                throw new IllegalStateException("userinfo " + userinfo.getStatusCode() + " " + userinfo.getBody());
            }
            done(ms, step, t, listener);
            return new Result(ms, null, null);
        } catch (Exception | AssertionError e) {
            return new Result(ms, step, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            closeBrowser(client);
        }
    }

    /**
     * Closes the flow's browser (FapiClient's HttpClient; HttpClient.close exists from JDK 21). Left
     * open, every finished flow leaves a keep-alive connection idle on the server, and past
     * sun.net.httpserver.maxIdleConnections the JDK HttpServer closes a connection as soon as it has
     * answered on it: the browser's next POST on it fails ("header parser received no bytes").
     */
    static void closeBrowser(FapiClient client) {
        if (client == null) {
            return;
        }
        try {
            java.lang.reflect.Field field = FapiClient.class.getDeclaredField("browser");
            field.setAccessible(true);
            Object browser = field.get(client);
            java.net.http.HttpClient.class.getMethod("close").invoke(browser);
        } catch (NoSuchMethodException beforeJdk21) {
            // JDK 17: no close; its connections go when the client is collected.
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot close the flow's browser", e);
        }
    }

    private static long done(Map<String, Double> ms, String step, long since, Listener listener) {
        long now = System.nanoTime();
        ms.put(step, (now - since) / 1e6);
        if (listener != null) {
            listener.after(step);
        }
        return System.nanoTime();
    }

    private static void require(boolean ok, HttpResponse<String> page) {
        if (!ok) {
            String body = page.body();
            throw new IllegalStateException(page.statusCode() + " " + body.substring(0, Math.min(300, body.length())));
        }
    }
}
