package dev.fapi2lambda.core.par;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.config.Params;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Form;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of an authorization request, in the order the specs give them. PAR runs them on the
 * pushed parameters; the authorization endpoint trusts only what PAR stored.
 */
public final class AuthorizationRequestChecks {
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern JKT = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Set<String> OIDC_PROMPTS = Set.of("none", "login", "consent", "select_account");

    public AuthorizationRequest check(Form form, Client client) {
        noRequestUri(form);
        noRequestObject(form);
        clientIdMatches(form, client);
        responseTypeCode(form);
        responseModeQuery(form);
        String redirectUri = registeredRedirectUri(form, client);
        List<String> scopes = allowedScopes(form, client);
        String challenge = pkceS256(form);
        return new AuthorizationRequest(client.clientId(), redirectUri, scopes, challenge,
                form.get(Params.STATE), form.get(Params.NONCE), dpopJkt(form), prompt(form), maxAge(form),
                form.get(Params.LOGIN_HINT));
    }

    /** RFC 9126 2.1: request_uri is not allowed in a pushed request. */
    private static void noRequestUri(Form form) {
        if (form.has(Params.REQUEST_URI)) {
            throw OAuthException.invalidRequest("request_uri must not be sent to the pushed authorization request endpoint");
        }
    }

    /** Request objects (RFC 9101) are not supported and not advertised. */
    private static void noRequestObject(Form form) {
        if (form.has(Params.REQUEST)) {
            throw OAuthException.status(400, "request_not_supported", "request objects are not supported");
        }
    }

    /** RFC 9126 2.1: a client_id parameter must be the authenticated client. */
    private static void clientIdMatches(Form form, Client client) {
        if (form.get(Params.CLIENT_ID).filter(id -> !id.equals(client.clientId())).isPresent()) {
            throw OAuthException.invalidRequest("client_id does not match the authenticated client");
        }
    }

    /** FAPI 2.0 SP 5.3.2.2: response_type=code only. */
    private static void responseTypeCode(Form form) {
        String responseType = form.require(Params.RESPONSE_TYPE);
        if (!"code".equals(responseType)) {
            throw OAuthException.unsupportedResponseType("response_type must be code");
        }
    }

    /** Only the query response mode is offered (C-AZ-4). */
    private static void responseModeQuery(Form form) {
        if (form.get(Params.RESPONSE_MODE).filter(mode -> !"query".equals(mode)).isPresent()) {
            throw OAuthException.invalidRequest("response_mode must be query");
        }
    }

    /**
     * RFC 9700 4.1.3 / FAPI 2.0: redirect_uri is required and must equal, character for character,
     * one the client registered (its query included).
     */
    private static String registeredRedirectUri(Form form, Client client) {
        String redirectUri = form.require(Params.REDIRECT_URI);
        if (!client.redirectUris().contains(redirectUri)) {
            throw OAuthException.invalidRequest("redirect_uri is not registered for this client");
        }
        return redirectUri;
    }

    /** RFC 6749 3.3 and FAPI 2.0 SP 5.3.2.2 (least privilege): every scope allowed for the client. */
    private static List<String> allowedScopes(Form form, Client client) {
        String scope = form.require(Params.SCOPE);
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(scope.trim().split(" +")));
        for (String s : scopes) {
            if (!client.scopes().contains(s)) {
                throw OAuthException.invalidScope("scope " + s + " is not allowed for this client");
            }
        }
        return List.copyOf(scopes);
    }

    /** FAPI 2.0 SP 5.3.2.2 / RFC 7636 4.3: code_challenge required, method S256 only. */
    private static String pkceS256(Form form) {
        String challenge = form.get(Params.CODE_CHALLENGE)
                .orElseThrow(() -> OAuthException.invalidRequest("code_challenge is required (PKCE)"));
        if (!form.get(Params.CODE_CHALLENGE_METHOD).filter("S256"::equals).isPresent()) {
            throw OAuthException.invalidRequest("code_challenge_method must be S256");
        }
        if (!S256_CHALLENGE.matcher(challenge).matches()) {
            throw OAuthException.invalidRequest("code_challenge must be a base64url SHA-256 value (43 characters)");
        }
        return challenge;
    }

    /** RFC 9449 10: dpop_jkt is a base64url SHA-256 JWK thumbprint. */
    private static Optional<String> dpopJkt(Form form) {
        Optional<String> jkt = form.get(Params.DPOP_JKT);
        if (jkt.isPresent() && !JKT.matcher(jkt.get()).matches()) {
            throw OAuthException.invalidRequest("dpop_jkt must be a base64url SHA-256 JWK thumbprint");
        }
        return jkt;
    }

    private static Optional<String> prompt(Form form) {
        Optional<String> prompt = form.get(Params.PROMPT);
        prompt.ifPresent(p -> {
            for (String value : p.split(" ")) {
                if (!OIDC_PROMPTS.contains(value)) {
                    throw OAuthException.invalidRequest("prompt value " + value + " is not supported");
                }
            }
        });
        return prompt;
    }

    private static Optional<Long> maxAge(Form form) {
        return form.get(Params.MAX_AGE).map(value -> {
            if (!value.matches("[0-9]{1,9}")) {
                throw OAuthException.invalidRequest("max_age must be a non-negative integer");
            }
            return Long.parseLong(value);
        });
    }
}
