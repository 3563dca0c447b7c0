package dev.fapi2lambda.aws;

import com.nimbusds.jose.jwk.JWK;
import dev.fapi2lambda.core.store.ItemStore;
import java.time.Instant;
import java.util.List;

/**
 * The benchmarks' way to the sample events' fixed values and table contents (functions/aws test
 * code: SampleTable is package-private, hence this class in the same package, in infra/bench). A
 * cold start of {@code events/<name>.json} needs, like functions/aws's SampleEventsTest: the sample
 * clients and the DPoP nonce of the samples' instant in every table, and per event what it refers to.
 */
public final class BenchSamples {
    private BenchSamples() {
    }

    /** An API Gateway REST API proxy event shaped exactly as events/*.json (SampleEvents' one builder). */
    public static String eventJson(String method, String path, java.util.Map<String, String> headers,
                                   java.util.Map<String, String> query, String body, String requestId) {
        SampleEvents.Event event = event(method, path, headers).body(body);
        if (!query.isEmpty()) {
            event.query(query);
        }
        return event.json(requestId);
    }

    /** The REQUEST authorizer event API Gateway builds for that request to the sample API (GET /accounts). */
    public static String authorizerEventJson(String method, String path, java.util.Map<String, String> headers,
                                             String requestId) {
        return event(method, path, headers).asAuthorizerRequest().json(requestId);
    }

    private static SampleEvents.Event event(String method, String path, java.util.Map<String, String> headers) {
        SampleEvents.Event event = new SampleEvents.Event(method, path);
        headers.forEach(event::header);
        return event;
    }

    /** The identifier of the sample protected API: the audience its access tokens carry and the authorizer expects. */
    public static String apiAudience() {
        return SampleEvents.API_AUDIENCE;
    }

    public static Instant at() {
        return SampleEvents.AT;
    }

    public static String issuer() {
        return SampleEvents.ISSUER;
    }

    public static String mtlsBaseUrl() {
        return SampleEvents.MTLS_BASE_URL;
    }

    /** The sample server keys (RSA 2048 PS256, P-256 ES256): the keys the sample access tokens are signed with. */
    public static List<JWK> serverKeys() {
        return SampleEvents.serverKeys();
    }

    /** Writes into {@code store} what events/{@code name}.json expects to find (as SampleEventsTest seeds it). */
    public static void seed(String name, ItemStore store) {
        SampleTable.clients(store);
        SampleTable.dpopNonce(store);
        switch (name) {
            case "discovery", "oauth-metadata", "jwks", "par", "par-mtls", "accounts" -> {
            }
            case "authorize" -> SampleTable.pushedRequest(store);
            case "authorize-login" -> {
                SampleTable.startedRequest(store);
                SampleTable.user(store);
            }
            case "token" -> SampleTable.code(store);
            case "token-refresh" -> SampleTable.grant(store);
            case "token-mtls" -> SampleTable.mtlsCode(store);
            case "introspect", "revoke", "authorizer" -> SampleTable.grant(store);
            case "userinfo" -> {
                SampleTable.grant(store);
                SampleTable.user(store);
            }
            case "userinfo-mtls" -> {
                SampleTable.mtlsGrant(store);
                SampleTable.user(store);
            }
            default -> throw new IllegalArgumentException("no sample seed for " + name);
        }
    }
}
