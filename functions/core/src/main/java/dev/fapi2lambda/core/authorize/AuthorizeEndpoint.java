package dev.fapi2lambda.core.authorize;

import dev.fapi2lambda.core.client.Client;
import dev.fapi2lambda.core.client.ClientRepository;
import dev.fapi2lambda.core.config.Params;
import dev.fapi2lambda.core.config.ServerConfig;
import dev.fapi2lambda.core.crypto.Hashes;
import dev.fapi2lambda.core.crypto.Secrets;
import dev.fapi2lambda.core.error.OAuthException;
import dev.fapi2lambda.core.http.Cookies;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Form;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import dev.fapi2lambda.core.par.AuthorizationRequest;
import dev.fapi2lambda.core.par.PushedRequests;
import dev.fapi2lambda.core.token.AuthorizationCode;
import dev.fapi2lambda.core.token.AuthorizationCodes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authorization endpoint (RFC 6749 3.1) as FAPI 2.0 shapes it: only pushed requests
 * (RFC 9126 4), login and consent pages, and a 303 back to the client with code, state and iss
 * (RFC 9207). Until the client and its redirect URI are trusted, every error is a page, never a
 * redirect (FAPI 2.0 SP 5.3.2.1 item 7: no open redirector).
 */
public final class AuthorizeEndpoint implements Endpoint {
    private final ServerConfig config;
    private final ClientRepository clients;
    private final PushedRequests pushedRequests;
    private final Sessions sessions;
    private final LoginCheck loginCheck;
    private final AuthorizationCodes codes;
    private final Secrets secrets;
    private final Clock clock;

    public AuthorizeEndpoint(ServerConfig config, ClientRepository clients, PushedRequests pushedRequests,
                             dev.fapi2lambda.core.user.UserRepository users, dev.fapi2lambda.core.store.ItemStore store,
                             AuthorizationCodes codes, Secrets secrets, Clock clock) {
        this.config = config;
        this.clients = clients;
        this.pushedRequests = pushedRequests;
        this.sessions = new Sessions(store, secrets, config.sessionLifetime());
        this.loginCheck = new LoginCheck(users, store, LoginCheck.defaultHasher());
        this.codes = codes;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** A request whose client and redirect URI are trusted: from here on, errors go back to the client. */
    private record Trusted(Client client, String requestUri, PushedRequests.Pushed pushed, String interactionCookie) {
        AuthorizationRequest request() {
            return pushed.request();
        }
    }

    /** Every answer of the authorization endpoint, errors included, carries the page security headers (C-TLS-3). */
    @Override
    public Response handle(Request request) {
        Response response;
        try {
            response = respond(request);
        } catch (OAuthException e) {
            response = dev.fapi2lambda.core.error.ErrorResponses.render(e);
        }
        Response secured = response;
        for (Map.Entry<String, String> header : Pages.securityHeaders(null, "'self'").entrySet()) {
            if (secured.header(header.getKey()) == null) {
                secured = secured.withHeader(header.getKey(), header.getValue());
            }
        }
        return secured;
    }

    private Response respond(Request request) {
        boolean post = request.isPost();
        if (!post && !"GET".equals(request.method())) {
            throw OAuthException.methodNotAllowed("GET, POST");
        }
        if (request.clientCertificate().isPresent()) {
            // RFC 8705 5: the authorization endpoint is never on the mTLS host.
            return Pages.error("The authorization endpoint is not served on the mutual-TLS host.");
        }
        Instant now = clock.instant();
        Map<String, String> params = post ? Form.of(request, config.maxBodyBytes()).asMap() : query(request);
        Optional<Trusted> trusted = trust(params, now);
        if (trusted.isEmpty()) {
            return Pages.error(untrustedReason(params, now));
        }
        return post ? submit(request, params, trusted.get(), now) : show(request, trusted.get(), now, List.of());
    }

    /**
     * RFC 9126 4 / C-AZ-1..3: a known client, a live pushed request of that client. Other query
     * parameters are ignored: only what was pushed counts.
     */
    private Optional<Trusted> trust(Map<String, String> params, Instant now) {
        String clientId = params.get(Params.CLIENT_ID);
        String requestUri = params.get(Params.REQUEST_URI);
        if (clientId == null || requestUri == null) {
            return Optional.empty();
        }
        Optional<Client> client = clients.find(clientId, now);
        Optional<PushedRequests.Pushed> pushed = pushedRequests.find(requestUri, now)
                .filter(p -> p.request().clientId().equals(clientId));
        if (client.isEmpty() || pushed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Trusted(client.get(), requestUri, pushed.get(),
                "__Host-fapi2-ia-" + Hashes.sha256Url(requestUri).substring(0, 16)));
    }

    private String untrustedReason(Map<String, String> params, Instant now) {
        if (params.get(Params.CLIENT_ID) == null) {
            return "client_id is missing.";
        }
        if (params.get(Params.REQUEST_URI) == null) {
            return "request_uri is missing: this server accepts only pushed authorization requests (PAR).";
        }
        if (clients.find(params.get(Params.CLIENT_ID), now).isEmpty()) {
            return "The client is not known.";
        }
        return "The request_uri is unknown, expired, already used, or belongs to another client.";
    }

    /** GET: start or resume the interaction in this browser, then show login or consent. */
    private Response show(Request request, Trusted t, Instant now, List<String> cookies) {
        List<String> setCookies = new ArrayList<>(cookies);
        String csrf = secrets.next();
        if (t.pushed().interactionHash().isEmpty()) {
            // The first visit binds the request to this browser and sets the CSRF token in one write.
            String id = secrets.next();
            if (!pushedRequests.start(t.requestUri(), Hashes.sha256Url(id), Hashes.sha256Url(csrf),
                    now.plus(config.interactionLifetime()), now)) {
                return Pages.error("This authorization was started in another browser or tab.");
            }
            setCookies.add(Cookies.set(t.interactionCookie(), id, config.interactionLifetime().toSeconds()));
        } else {
            if (!sameBrowser(request, t)) {
                return Pages.error("This authorization was started in another browser or tab.");
            }
            pushedRequests.record(t.requestUri(), t.pushed().interactionHash().get(),
                    Map.of("csrfHash", Hashes.sha256Url(csrf)), now);
        }
        Optional<Sessions.Session> who = authenticated(request, t, now);
        Optional<String> prompt = t.request().prompt();
        if (prompt.filter(p -> List.of(p.split(" ")).contains("none")).isPresent()) {
            // OIDC Core 3.1.2.6: no pages at all; there is no stored consent, so consent is always required.
            pushedRequests.consume(t.requestUri(), now);
            return redirectError(t, who.isEmpty() ? "login_required" : "consent_required", "prompt=none", List.of());
        }
        Response page = who.isEmpty()
                ? Pages.login(t.client().clientId(), t.requestUri(), csrf, "", formAction(t))
                : Pages.consent(t.client().clientId(), t.request().scopes(), t.requestUri(), csrf, who.get().subject(),
                formAction(t));
        return withCookies(page, setCookies);
    }

    /**
     * POST from the login or consent form: same browser, and the CSRF token spent by a conditional
     * swap for the next page's token, so a token works once (parallel posts of one form: one wins).
     */
    private Response submit(Request request, Map<String, String> form, Trusted t, Instant now) {
        String csrf = form.getOrDefault("csrf", "");
        String next = secrets.next();
        if (!sameBrowser(request, t) || t.pushed().csrfHash().isEmpty() || !pushedRequests.swapCsrf(t.requestUri(),
                t.pushed().interactionHash().orElseThrow(), Hashes.sha256Url(csrf), Hashes.sha256Url(next), now)) {
            return Pages.error("This form has expired or was not sent from this site. Return to the application and start again.");
        }
        String interactionHash = t.pushed().interactionHash().orElseThrow();
        return switch (form.getOrDefault("step", "")) {
            case "login" -> login(form, t, interactionHash, next, now);
            case "consent" -> consent(request, form, t, now);
            default -> Pages.error("Unknown step.");
        };
    }

    private Response login(Map<String, String> form, Trusted t, String interactionHash, String csrf, Instant now) {
        String username = form.getOrDefault("username", "");
        String password = form.getOrDefault("password", "");
        LoginCheck.Outcome outcome = username.isEmpty() || password.isEmpty()
                ? new LoginCheck.Outcome.Failure() : loginCheck.check(username, password, now);
        if (outcome instanceof LoginCheck.Outcome.Success success) {
            String subject = success.user().username();
            pushedRequests.record(t.requestUri(), interactionHash, Map.of("subject", subject,
                    "authTime", now.getEpochSecond()), now);
            String sessionCookie = sessions.start(subject, now, now);
            return withCookies(Pages.consent(t.client().clientId(), t.request().scopes(), t.requestUri(), csrf, subject,
                    formAction(t)), List.of(sessionCookie));
        }
        String message = outcome instanceof LoginCheck.Outcome.Throttled
                ? "Too many failed sign-in attempts. Try again later." : "Invalid username or password.";
        return Pages.login(t.client().clientId(), t.requestUri(), csrf, message, formAction(t));
    }

    private Response consent(Request request, Map<String, String> form, Trusted t, Instant now) {
        Optional<Sessions.Session> who = authenticated(request, t, now);
        if (who.isEmpty()) {
            return Pages.error("You are not signed in. Return to the application and start again.");
        }
        String decision = form.getOrDefault("decision", "");
        if (!decision.equals("allow") && !decision.equals("cancel")) {
            return Pages.error("Choose Allow or Cancel.");
        }
        // C-AZ-3: the request_uri is consumed here, once; a second completion finds nothing.
        Optional<AuthorizationRequest> consumed = pushedRequests.consume(t.requestUri(), now);
        if (consumed.isEmpty()) {
            return Pages.error("This authorization has already been completed.");
        }
        List<String> clear = List.of(Cookies.clear(t.interactionCookie()));
        if (decision.equals("cancel")) {
            return redirectError(t, "access_denied", "the user cancelled", clear);   // C-AZ-5
        }
        AuthorizationRequest ar = consumed.get();
        String code = codes.issue(new AuthorizationCode(ar.clientId(), ar.redirectUri(), ar.scopes(), ar.codeChallenge(),
                ar.nonce(), who.get().subject(), who.get().authTime(), ar.dpopJkt(), secrets.next()),
                now.plus(config.codeLifetime()));                                        // FAPI 2.0 SP 5.3.2.1 item 11
        List<String[]> params = new ArrayList<>();
        params.add(new String[] {"code", code});
        ar.state().ifPresent(s -> params.add(new String[] {"state", s}));
        params.add(new String[] {"iss", config.issuer()});                              // RFC 9207
        return redirect(t, params, clear);
    }

    /**
     * Who is signed in for this authorization: the login of this interaction, or the browser's
     * session unless prompt=login or max_age asks for a fresh login (OIDC Core 3.1.2.1; max_age=0
     * is prompt=login, even for a session started within the same second).
     */
    private Optional<Sessions.Session> authenticated(Request request, Trusted t, Instant now) {
        if (t.pushed().subject().isPresent()) {
            return Optional.of(new Sessions.Session(t.pushed().subject().get(), t.pushed().authTime().orElse(now)));
        }
        boolean promptLogin = t.request().prompt().filter(p -> List.of(p.split(" ")).contains("login")).isPresent();
        return sessions.find(request, now)
                .filter(s -> !promptLogin)
                .filter(s -> t.request().maxAge().map(max -> max > 0 && !s.authTime().plusSeconds(max).isBefore(now)).orElse(true));
    }

    private boolean sameBrowser(Request request, Trusted t) {
        return Cookies.get(request, t.interactionCookie())
                .map(id -> t.pushed().interactionHash().map(h -> Hashes.constantTimeEquals(h, Hashes.sha256Url(id))).orElse(false))
                .orElse(false);
    }

    private Response redirectError(Trusted t, String error, String description, List<String> cookies) {
        List<String[]> params = new ArrayList<>();
        params.add(new String[] {"error", error});
        params.add(new String[] {"error_description", description});
        t.request().state().ifPresent(s -> params.add(new String[] {"state", s}));
        params.add(new String[] {"iss", config.issuer()});
        return redirect(t, params, cookies);
    }

    /** 303 to the registered redirect URI, its own query kept (C-AZ-4: 303, never 307). */
    private Response redirect(Trusted t, List<String[]> params, List<String> cookies) {
        StringBuilder location = new StringBuilder(t.request().redirectUri());
        char sep = t.request().redirectUri().contains("?") ? '&' : '?';
        for (String[] p : params) {
            location.append(sep).append(encode(p[0])).append('=').append(encode(p[1]));
            sep = '&';
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>(Pages.securityHeaders(null, "'none'"));
        headers.put("Location", location.toString());
        return new Response(303, headers, "", cookies);
    }

    private static String formAction(Trusted t) {
        return Pages.formAction(t.request().redirectUri());
    }

    private static Response withCookies(Response page, List<String> cookies) {
        List<String> all = new ArrayList<>(page.cookies());
        all.addAll(cookies);
        return new Response(page.status(), page.headers(), page.body(), all);
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The query, one value per name; a name sent twice makes the request untrusted. */
    private static Map<String, String> query(Request request) {
        Map<String, String> single = new java.util.HashMap<>();
        request.query().forEach((name, values) -> {
            if (values.size() == 1) {
                single.put(name, values.get(0));
            }
        });
        return single;
    }
}
