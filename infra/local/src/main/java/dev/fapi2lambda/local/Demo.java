package dev.fapi2lambda.local;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo: the seeded demo client and user run one whole FAPI 2.0 flow against a running local
 * server (PAR, login, consent, callback, token, userinfo, refresh) and print every step. Tokens are
 * shown decoded (header and claims); their signatures are not printed.
 */
final class Demo {
    private Demo() {
    }

    static int run(String issuer, Path stateDir, boolean mtls, PrintStream out) throws Exception {
        String password = Files.readString(stateDir.resolve("demo-user.password")).trim();
        FapiClient client;
        if (mtls) {
            java.security.KeyStore certificate = java.security.KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(stateDir.resolve("demo-mtls-client.p12"))) {
                certificate.load(in, LocalTls.PASSWORD);
            }
            client = new FapiClient(issuer, stateDir.resolve("ca.pem"), Seed.DEMO_MTLS_CLIENT_ID,
                    FapiClient.Auth.TLS_CLIENT_AUTH, null, null, certificate, URI.create(Seed.DEMO_REDIRECT_URI));
        } else {
            com.nimbusds.jose.jwk.JWK clientKey = com.nimbusds.jose.jwk.JWK.parse(
                    Files.readString(stateDir.resolve("demo-client.jwk")));
            client = new FapiClient(issuer, stateDir.resolve("ca.pem"), Seed.DEMO_CLIENT_ID, clientKey,
                    new ECKeyGenerator(Curve.P_256).generate(), URI.create(Seed.DEMO_REDIRECT_URI));
        }
        out.println("1. discovery      " + issuer + "/.well-known/openid-configuration (issuer matches)"
                + (mtls ? "; mTLS: tls_client_auth, certificate-bound tokens, mtls_endpoint_aliases" : ""));

        FapiClient.Started started = client.par(new Scope("openid", "profile", "email", "accounts"));
        out.println("2. PAR            201 request_uri=" + started.requestUri() + " "
                + (mtls ? "(tls_client_auth, PKCE S256)" : "(private_key_jwt, PKCE S256, DPoP)"));

        HttpResponse<String> page = client.authorize(started.requestUri());
        out.println("3. authorize      " + page.statusCode() + " login page");
        page = client.login(started.requestUri(), page, Seed.DEMO_USER, password);
        out.println("4. login          " + page.statusCode() + (page.body().contains("Allow access") ? " consent page" : " ?"));
        HttpResponse<String> redirect = client.consent(started.requestUri(), page, "allow");
        AuthorizationResponse callback = client.callback(redirect, started);
        out.println("5. consent        " + redirect.statusCode() + " to " + Seed.DEMO_REDIRECT_URI
                + " with code, state and iss=" + callback.getIssuer() + " (checked)");

        FapiClient.Tokens tokens = client.token(callback.toSuccessResponse().getAuthorizationCode(), started.verifier());
        if (tokens.accessToken() == null) {
            out.println("6. token          " + tokens.response().getStatusCode() + " " + tokens.response().getBody());
            return 1;
        }
        out.println("6. token          200 token_type=" + tokens.accessToken().getType() + " expires_in="
                + tokens.accessToken().getLifetime());
        out.println("   access token   " + decode(tokens.accessToken().getValue()));
        out.println("   id token       " + decode(tokens.idToken()));

        HTTPResponse userinfo = client.userinfo(tokens.accessToken());
        out.println("7. userinfo       " + userinfo.getStatusCode() + " " + userinfo.getBody());

        URI accounts = URI.create((mtls ? client.metadata().getReadOnlyMtlsEndpointAliases().getTokenEndpointURI()
                .resolve("/accounts") : URI.create(issuer + "/accounts")).toString());
        HTTPResponse api = client.resource(accounts, tokens.accessToken());
        out.println("8. GET /accounts  " + api.getStatusCode() + " " + api.getBody() + " (behind the DPoP authorizer)");

        FapiClient.Tokens refreshed = client.refresh(tokens.refreshToken());
        out.println("9. refresh        " + refreshed.response().getStatusCode() + " new access token, same refresh token");
        return userinfo.getStatusCode() == 200 && refreshed.accessToken() != null ? 0 : 1;
    }

    private static String decode(String jwt) throws java.text.ParseException {
        SignedJWT parsed = SignedJWT.parse(jwt);
        return parsed.getHeader().toJSONObject() + " " + parsed.getJWTClaimsSet().toJSONObject();
    }
}
