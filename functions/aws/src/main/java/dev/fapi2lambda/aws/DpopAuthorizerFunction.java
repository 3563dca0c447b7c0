package dev.fapi2lambda.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.fapi2lambda.aws.Priming.Part;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.resource.TokenValidator;
import dev.fapi2lambda.core.resource.ValidatedToken;
import dev.fapi2lambda.core.store.ItemStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A REQUEST Lambda authorizer for REST APIs (FAPI 2.0 SP 5.3.3): the same TokenValidator as
 * userinfo over the issuer's JWKS, with the DPoP proof's htm and htu taken from the request and
 * the API's configured public URL. Allow carries sub, client_id and scope to the backend; Deny
 * carries the OAuth error, the WWW-Authenticate challenge and the DPoP nonce, which the
 * ACCESS_DENIED gateway response turns into headers (see {@link GatewayResponses}). Results must
 * not be cached (template.yaml: ReauthorizeEvery 0): every request brings a new proof.
 */
public final class DpopAuthorizerFunction implements RequestStreamHandler {
    /** Only when something is logged: initialising java.util.logging costs a cold start about 10 ms. */
    private static final class Log {
        static final Logger LOG = Logger.getLogger(DpopAuthorizerFunction.class.getName());
    }

    static {
        // Cold start: access token (PS256), DPoP proof (ES256), nonce, jti and revocation items.
        Priming.start(EnumSet.of(Part.TLS, Part.JSON, Part.ES256, Part.PS256, Part.SDK, Part.DYNAMODB));
    }

    private final TokenValidator validator;
    private final Function<Request, String> resourceUrl;

    public DpopAuthorizerFunction() {
        this(AuthorizerDefault.Container.AUTHORIZER.validator, AuthorizerDefault.Container.AUTHORIZER.resourceUrl);
    }

    /**
     * @param resourceUrl the public URL of the requested resource (without query): the DPoP htu
     */
    public DpopAuthorizerFunction(TokenValidator validator, Function<Request, String> resourceUrl) {
        this.validator = validator;
        this.resourceUrl = resourceUrl;
    }

    /**
     * The authorizer as deployed, from its environment (the variables: {@link AuthorizerDefault}),
     * on {@code items} and {@code clock}: what the no-argument constructor builds once per container,
     * on the TABLE_NAME table and the system clock. The JWKS is fetched from JWKS_URI on the first
     * request.
     */
    public static DpopAuthorizerFunction fromEnvironment(Environment env, Supplier<ItemStore> items, Clock clock) {
        return AuthorizerDefault.build(env, items, clock);
    }

    /** The public URL of the called resource: on the mTLS domain when the request came with a certificate. */
    public static Function<Request, String> resourceUrls(String base, Optional<String> mtlsBase) {
        return request -> (request.clientCertificate().isPresent() ? mtlsBase.orElse(base) : base) + request.path();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String json = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        output.write(JSONObjectUtils.toJSONString(decide(json)).getBytes(StandardCharsets.UTF_8));
        output.flush();
    }

    Map<String, Object> decide(String json) {
        String methodArn = "";
        String requestId = "unknown";
        try {
            methodArn = String.valueOf(JSONObjectUtils.parse(json).getOrDefault("methodArn", ""));
            Request request = ApiGatewayEvents.fromJson(json);
            requestId = request.requestId();
            ValidatedToken token = validator.validate(request, resourceUrl.apply(request));
            Map<String, Object> allowed = new LinkedHashMap<>();
            allowed.put("sub", token.subject());
            allowed.put("client_id", token.clientId());
            allowed.put("scope", String.join(" ", token.scopes()));
            return policy(token.subject(), "Allow", methodArn, allowed);
        } catch (OAuthException e) {
            return policy("anonymous", "Deny", methodArn, denial(e));
        } catch (ParseException | RuntimeException e) {
            // Fail closed: an unexpected fault denies, and is logged without anything secret.
            Log.LOG.log(Level.SEVERE, "authorizer request {0} failed: {1}", new Object[] {requestId, e.getClass().getName()});
            return policy("anonymous", "Deny", methodArn,
                    denial(OAuthException.status(401, "invalid_token", "the access token could not be checked")));
        }
    }

    private static Map<String, Object> denial(OAuthException e) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put(GatewayResponses.ERROR, e.error());
        context.put(GatewayResponses.ERROR_DESCRIPTION, e.description());
        context.put(GatewayResponses.WWW_AUTHENTICATE, e.headers().getOrDefault("WWW-Authenticate",
                "DPoP error=\"" + e.error() + "\""));
        if (e.headers().containsKey("DPoP-Nonce")) {
            context.put(GatewayResponses.DPOP_NONCE, e.headers().get("DPoP-Nonce"));
        }
        return context;
    }

    private static Map<String, Object> policy(String principal, String effect, String methodArn, Map<String, Object> context) {
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Action", "execute-api:Invoke");
        statement.put("Effect", effect);
        statement.put("Resource", methodArn);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", "2012-10-17");
        document.put("Statement", List.of(statement));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("principalId", principal);
        out.put("policyDocument", document);
        out.put("context", context);
        return out;
    }
}
