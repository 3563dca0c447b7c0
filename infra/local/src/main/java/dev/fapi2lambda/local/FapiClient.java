package dev.fapi2lambda.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.dpop.DPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A FAPI 2.0 client on the Nimbus OAuth 2.0 SDK: private_key_jwt with the issuer as audience,
 * PAR, PKCE S256, DPoP with the server's nonces, and a small browser (cookies, forms, no
 * JavaScript) for the login and consent pages. The demo command runs it; the end-to-end tests
 * drive it step by step and bend the steps they test.
 */
public final class FapiClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private final SSLContext tls;
    private final HttpClient browser;
    private final OIDCProviderMetadata metadata;
    private final String clientId;
    private final JWK clientKey;
    private final DPoPProofFactory dpop;
    private final URI redirectUri;
    private final Auth auth;
    private final boolean mtls;
    private volatile String nonce;

    /** How the client authenticates (RFC 7523 / RFC 8705 2.1 / 2.2). */
    public enum Auth { PRIVATE_KEY_JWT, TLS_CLIENT_AUTH, SELF_SIGNED_TLS_CLIENT_AUTH }

    /** The state a client keeps between PAR and the callback. */
    public record Started(URI requestUri, State state, Nonce nonce, CodeVerifier verifier) {
    }

    /** The tokens of a token response. */
    public record Tokens(AccessToken accessToken, RefreshToken refreshToken, String idToken, HTTPResponse response) {
    }

    public FapiClient(String issuer, Path caFile, String clientId, JWK clientKey, JWK dpopKey, URI redirectUri)
            throws IOException, GeneralSecurityException, ParseException {
        this(issuer, caFile, clientId, Auth.PRIVATE_KEY_JWT, clientKey, dpopKey, null, redirectUri);
    }

    /**
     * @param auth        how the client authenticates
     * @param clientKey   the private_key_jwt signing key (null for the mTLS methods)
     * @param dpopKey     the DPoP key (null for a client whose tokens are certificate-bound only)
     * @param certificate the client certificate and its key (null without mTLS): PAR, token and userinfo
     *                    then go to the mtls_endpoint_aliases (RFC 8705 5)
     */
    public FapiClient(String issuer, Path caFile, String clientId, Auth auth, JWK clientKey, JWK dpopKey,
                      KeyStore certificate, URI redirectUri) throws IOException, GeneralSecurityException, ParseException {
        this.auth = auth;
        this.mtls = certificate != null;
        this.tls = trusting(caFile, certificate);
        this.browser = HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        this.clientId = clientId;
        this.clientKey = clientKey;
        this.redirectUri = redirectUri;
        try {
            this.dpop = dpopKey == null ? null
                    : new DefaultDPoPProofFactory(dpopKey, dpopKey instanceof ECKey ? JWSAlgorithm.ES256 : JWSAlgorithm.PS256);
        } catch (JOSEException e) {
            throw new GeneralSecurityException(e);
        }
        HTTPRequest discovery = new HTTPRequest(HTTPRequest.Method.GET, URI.create(issuer + "/.well-known/openid-configuration"));
        this.metadata = OIDCProviderMetadata.parse(send(discovery).getBodyAsJSONObject());
        if (!metadata.getIssuer().getValue().equals(issuer)) {
            throw new IllegalStateException("the metadata's issuer is not the issuer it was fetched from");
        }
    }

    public OIDCProviderMetadata metadata() {
        return metadata;
    }

    private URI parEndpoint() {
        return mtls ? metadata.getReadOnlyMtlsEndpointAliases().getPushedAuthorizationRequestEndpointURI()
                : metadata.getPushedAuthorizationRequestEndpointURI();
    }

    private URI tokenEndpoint() {
        return mtls ? metadata.getReadOnlyMtlsEndpointAliases().getTokenEndpointURI() : metadata.getTokenEndpointURI();
    }

    private URI userinfoEndpoint() {
        return mtls ? metadata.getReadOnlyMtlsEndpointAliases().getUserInfoEndpointURI() : metadata.getUserInfoEndpointURI();
    }

    /** Adds a DPoP proof if this client has a DPoP key. */
    private void prove(HTTPRequest http, String method, URI uri, AccessToken token) throws JOSEException {
        if (dpop != null) {
            http.setDPoP(token == null ? dpop.createDPoPJWT(method, uri, nonceOrNull())
                    : dpop.createDPoPJWT(method, uri, token, nonceOrNull()));
        }
    }

    /** Step 1: the pushed authorization request, retried once with the server's DPoP nonce. */
    public Started par(Scope scope) throws Exception {
        Started started = new Started(null, new State(), new Nonce(), new CodeVerifier());
        AuthorizationRequest request = new AuthorizationRequest.Builder(new ResponseType("code"), new ClientID(clientId))
                .redirectionURI(redirectUri).scope(scope).state(started.state())
                .customParameter("nonce", started.nonce().getValue())
                .codeChallenge(started.verifier(), CodeChallengeMethod.S256).build();
        URI endpoint = parEndpoint();
        HTTPResponse response = withNonce(new PushedAuthorizationRequest(endpoint, authentication(), request).toHTTPRequest(),
                http -> prove(http, "POST", endpoint, null));
        PushedAuthorizationResponse par = PushedAuthorizationResponse.parse(response);
        if (!par.indicatesSuccess()) {
            throw new IllegalStateException("PAR failed: " + par.toErrorResponse().getErrorObject().toJSONObject());
        }
        return new Started(par.toSuccessResponse().getRequestURI(), started.state(), started.nonce(), started.verifier());
    }

    /** Step 2: the browser opens the authorization endpoint with client_id and request_uri only. */
    public HttpResponse<String> authorize(URI requestUri) throws IOException, InterruptedException {
        URI uri = URI.create(metadata.getAuthorizationEndpointURI() + "?client_id=" + enc(clientId) + "&request_uri="
                + enc(requestUri.toString()));
        return browser.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Step 3: fills the login form of the page. */
    public HttpResponse<String> login(URI requestUri, HttpResponse<String> page, String username, String password)
            throws IOException, InterruptedException {
        return submit(requestUri, page, Map.of("step", "login", "username", username, "password", password));
    }

    /** Step 4: presses Allow or Cancel on the consent page. */
    public HttpResponse<String> consent(URI requestUri, HttpResponse<String> page, String decision)
            throws IOException, InterruptedException {
        return submit(requestUri, page, Map.of("step", "consent", "decision", decision));
    }

    private HttpResponse<String> submit(URI requestUri, HttpResponse<String> page, Map<String, String> fields)
            throws IOException, InterruptedException {
        Matcher csrf = CSRF.matcher(page.body());
        if (!csrf.find()) {
            throw new IllegalStateException("no form on the page: " + page.statusCode() + " " + page.body());
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("request_uri", requestUri.toString());
        form.put("csrf", csrf.group(1).replace("&amp;", "&"));
        form.putAll(fields);
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(metadata.getAuthorizationEndpointURI())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Step 5: the callback: a 303 whose Location carries code, state and iss (RFC 9207, checked). */
    public AuthorizationResponse callback(HttpResponse<String> redirect, Started started) throws ParseException {
        if (redirect.statusCode() != 303) {
            throw new IllegalStateException("expected a 303 redirect, got " + redirect.statusCode() + ": " + redirect.body());
        }
        URI location = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        AuthorizationResponse response = AuthorizationResponse.parse(location);
        if (!new Issuer(metadata.getIssuer()).equals(response.getIssuer())) {
            throw new IllegalStateException("iss in the authorization response is not the issuer (mix-up)");
        }
        if (!started.state().equals(response.getState())) {
            throw new IllegalStateException("state does not match");
        }
        return response;
    }

    /** Step 6: redeems the code with PKCE and DPoP. */
    public Tokens token(AuthorizationCode code, CodeVerifier verifier) throws Exception {
        return token(new AuthorizationCodeGrant(code, redirectUri, verifier));
    }

    /** Refreshes with the same refresh token (no rotation). */
    public Tokens refresh(RefreshToken refreshToken) throws Exception {
        return token(new RefreshTokenGrant(refreshToken));
    }

    public Tokens token(AuthorizationGrant grant) throws Exception {
        URI endpoint = tokenEndpoint();
        HTTPResponse response = withNonce(new TokenRequest(endpoint, authentication(), grant).toHTTPRequest(),
                http -> prove(http, "POST", endpoint, null));
        if (response.getStatusCode() != 200) {
            return new Tokens(null, null, null, response);
        }
        var json = response.getBodyAsJSONObject();
        AccessToken at = AccessToken.parse(json);
        RefreshToken rt = RefreshToken.parse(json);
        return new Tokens(at, rt, (String) json.get("id_token"), response);
    }

    /** Step 7: userinfo with the DPoP-bound access token and a proof carrying ath. */
    public HTTPResponse userinfo(AccessToken accessToken) throws Exception {
        URI endpoint = userinfoEndpoint();
        return withNonce(new UserInfoRequest(endpoint, accessToken).toHTTPRequest(),
                http -> prove(http, "GET", endpoint, accessToken));
    }

    /** A protected resource (GET), with the DPoP proof (ath, htm, htu, nonce) if this client has a DPoP key. */
    public HTTPResponse resource(URI uri, AccessToken accessToken) throws Exception {
        HTTPRequest http = new HTTPRequest(HTTPRequest.Method.GET, uri);
        http.setAuthorization(accessToken.toAuthorizationHeader());
        return withNonce(http, h -> prove(h, "GET", uri, accessToken));
    }

    /**
     * Sends; on use_dpop_nonce takes the nonce and sends the same request again with only a fresh
     * proof (RFC 9449 8): the body, client assertion included, is byte for byte the same, as the
     * OIDF test suite resends it.
     */
    private HTTPResponse withNonce(HTTPRequest http, Prover prover) throws Exception {
        prover.prove(http);
        HTTPResponse response = send(http);
        if ((response.getStatusCode() == 400 || response.getStatusCode() == 401) && isNonceError(response)) {
            prover.prove(http);
            response = send(http);
        }
        return response;
    }

    private boolean isNonceError(HTTPResponse response) {
        try {
            String www = response.getHeaderValue("WWW-Authenticate");
            if (www != null && www.contains("use_dpop_nonce")) {
                return true;
            }
            return response.getStatusCode() == 400 && "use_dpop_nonce".equals(ErrorObject.parse(response).getCode());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Sends any request over this client's TLS context (its certificate included). */
    public HTTPResponse sendRaw(HTTPRequest request) throws IOException {
        return send(request);
    }

    private HTTPResponse send(HTTPRequest request) throws IOException {
        request.setSSLSocketFactory(tls.getSocketFactory());
        HTTPResponse response = request.send();
        String fresh = response.getHeaderValue("DPoP-Nonce");
        if (fresh != null) {
            nonce = fresh;
        }
        return response;
    }

    private Nonce nonceOrNull() {
        return nonce == null ? null : new Nonce(nonce);
    }

    private com.nimbusds.oauth2.sdk.auth.ClientAuthentication authentication() throws JOSEException {
        return switch (auth) {
            case PRIVATE_KEY_JWT -> assertion();
            case TLS_CLIENT_AUTH -> new com.nimbusds.oauth2.sdk.auth.PKITLSClientAuthentication(new ClientID(clientId),
                    tls.getSocketFactory());
            case SELF_SIGNED_TLS_CLIENT_AUTH -> new com.nimbusds.oauth2.sdk.auth.SelfSignedTLSClientAuthentication(
                    new ClientID(clientId), tls.getSocketFactory());
        };
    }

    /** private_key_jwt with aud = the issuer identifier as a string (FAPI 2.0 SP 5.3.2.1 item 8). */
    private PrivateKeyJWT assertion() throws JOSEException {
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID(clientId),
                new Audience(metadata.getIssuer().getValue()));
        if (clientKey instanceof ECKey ec) {
            return new PrivateKeyJWT(claims, JWSAlgorithm.ES256, ec.toECPrivateKey(), ec.getKeyID(), null);
        }
        RSAKey rsa = (RSAKey) clientKey;
        return new PrivateKeyJWT(claims, JWSAlgorithm.PS256, rsa.toRSAPrivateKey(), rsa.getKeyID(), null);
    }

    private static SSLContext trusting(Path caFile, KeyStore certificate) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("local-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.KeyManager[] keyManagers = null;
        if (certificate != null) {
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
            kmf.init(certificate, LocalTls.PASSWORD);
            keyManagers = kmf.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, tmf.getTrustManagers(), null);
        return context;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface Prover {
        void prove(HTTPRequest http) throws Exception;
    }
}
