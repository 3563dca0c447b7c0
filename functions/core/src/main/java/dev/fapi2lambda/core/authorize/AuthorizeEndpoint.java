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
import dev.fapi2lambda.core.par.PushedRequests;
import dev.fapi2lambda.core.store.ItemStore;
import dev.fapi2lambda.core.store.Write;
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
    private final ItemStore store;
    private final AuthorizationCodes codes;
    private final Secrets secrets;
    private final Clock clock;

    public AuthorizeEndpoint(ServerConfig config, ClientRepository clients, PushedRequests pushedRequests,
                             ItemStore store, AuthorizationCodes codes, Secrets secrets, Clock clock) {
        this.config = config;
        this.clients = clients;
        this.pushedRequests = pushedRequests;
        this.store = store;
        this.sessions = new Sessions(store, secrets, config.sessionLifetime());
        this.loginCheck = new LoginCheck(store, LoginCheck.defaultHasher());
        this.codes = codes;
        this.secrets = secrets;
        this.clock = clock;
    }

    /** A known client and a request_uri, not yet matched with each other: errors are pages. */
    private record Target(Client client, String requestUri, String interactionCookie) {
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
        String clientId = params.get(Params.CLIENT_ID);
        String requestUri = params.get(Params.REQUEST_URI);
        Optional<Client> client = clientId == null || requestUri == null ? Optional.empty() : clients.find(clientId, now);
        if (client.isEmpty()) {
            return Pages.error(untrustedReason(params, now));
        }
        Target target = new Target(client.get(), requestUri,
                "__Host-fapi2-ia-" + Hashes.sha256Url(requestUri).substring(0, 16));
        return post ? submit(request, params, target, now) : show(request, target, now);
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
        return UNKNOWN_REQUEST;
    }

    private static final String UNKNOWN_REQUEST =
            "The request_uri is unknown, expired, already used, or belongs to another client.";
    private static final String OTHER_BROWSER = "This authorization was started in another browser or tab.";
    private static final String FORM_EXPIRED =
            "This form has expired or was not sent from this site. Return to the application and start again.";

    /**
     * RFC 9126 4 / C-AZ-1..3: why a step's conditional write was refused (read only then): a request
     * that is not a live, open request of this client; or one bound to another browser.
     */
    private String refusedReason(Target t, String otherwise, Instant now) {
        return pushedRequests.find(t.requestUri(), now)
                .filter(p -> p.request().clientId().equals(t.client().clientId()))
                .map(p -> otherwise)
                .orElse(UNKNOWN_REQUEST);
    }

    /**
     * GET: start the interaction in this browser (the first visit binds the request to it, in the
     * same write that sets the CSRF token), or resume it in the browser that started it; then show
     * login or consent. Other query parameters are ignored: only what was pushed counts.
     */
    private Response show(Request request, Target t, Instant now) {
        String csrf = secrets.next();
        Optional<String> cookie = Cookies.get(request, t.interactionCookie());
        List<String> setCookies = new ArrayList<>();
        Optional<PushedRequests.Pushed> pushed;
        if (cookie.isEmpty()) {
            String id = secrets.next();
            pushed = pushedRequests.begin(t.requestUri(), t.client().clientId(), Hashes.sha256Url(id),
                    Hashes.sha256Url(csrf), Optional.empty(), now.plus(config.interactionLifetime()), now);
            setCookies.add(Cookies.set(t.interactionCookie(), id, config.interactionLifetime().toSeconds()));
        } else {
            pushed = pushedRequests.resume(t.requestUri(), t.client().clientId(), Hashes.sha256Url(cookie.get()),
                    Hashes.sha256Url(csrf), Optional.empty(), now);
        }
        if (pushed.isEmpty()) {
            return Pages.error(refusedReason(t, OTHER_BROWSER, now));
        }
        PushedRequests.Pushed trusted = pushed.get();   // this client\'s, live and open: errors may now redirect
        Optional<PushedRequests.SignedIn> who = authenticated(request, trusted, now);
        Optional<String> prompt = trusted.request().prompt();
        if (prompt.filter(p -> List.of(p.split(" ")).contains("none")).isPresent()) {
            // OIDC Core 3.1.2.6: no pages at all; there is no stored consent, so consent is always required.
            pushedRequests.consume(t.requestUri(), now);
            return redirectError(trusted, who.isEmpty() ? "login_required" : "consent_required", "prompt=none", List.of());
        }
        if (who.isPresent() && trusted.subject().isEmpty()) {
            // Signed in by the browser's session: the request records who, for the consent that follows.
            pushed = pushedRequests.resume(t.requestUri(), t.client().clientId(), trusted.interactionHash().orElseThrow(),
                    Hashes.sha256Url(csrf), who, now);
            if (pushed.isEmpty()) {
                return Pages.error(refusedReason(t, FORM_EXPIRED, now));
            }
        }
        Response page = who.isEmpty()
                ? Pages.login(t.client().clientId(), t.requestUri(), csrf, "", formAction(trusted))
                : Pages.consent(t.client().clientId(), trusted.request().scopes(), t.requestUri(), csrf,
                who.get().subject(), formAction(trusted));
        return withCookies(page, setCookies);
    }

    /** POST from the login or consent form: the same browser, and the current CSRF token (used once). */
    private Response submit(Request request, Map<String, String> form, Target t, Instant now) {
        String csrf = Hashes.sha256Url(form.getOrDefault("csrf", ""));
        Optional<String> cookie = Cookies.get(request, t.interactionCookie());
        if (cookie.isEmpty()) {
            return Pages.error(refusedReason(t, FORM_EXPIRED, now));
        }
        String interactionHash = Hashes.sha256Url(cookie.get());
        return switch (form.getOrDefault("step", "")) {
            case "login" -> login(form, t, interactionHash, csrf, now);
            case "consent" -> consent(form, t, interactionHash, csrf, now);
            default -> Pages.error("Unknown step.");
        };
    }

    /**
     * The login form. The CSRF token is spent first by a conditional swap for the next page's token
     * (parallel posts of one form: one wins); a success then records the user on the request,
     * releases the throttle's reservation and starts the session, in one write.
     */
    private Response login(Map<String, String> form, Target t, String interactionHash, String csrf, Instant now) {
        String next = secrets.next();
        Optional<PushedRequests.Pushed> pushed = pushedRequests.swapCsrf(t.requestUri(), t.client().clientId(),
                interactionHash, csrf, Hashes.sha256Url(next), now);
        if (pushed.isEmpty()) {
            return Pages.error(refusedReason(t, FORM_EXPIRED, now));
        }
        PushedRequests.Pushed trusted = pushed.get();   // this client\'s, live and open: errors may now redirect
        String username = form.getOrDefault("username", "");
        String password = form.getOrDefault("password", "");
        LoginCheck.Outcome outcome = username.isEmpty() || password.isEmpty()
                ? new LoginCheck.Outcome.Failure() : loginCheck.check(username, password, now);
        if (outcome instanceof LoginCheck.Outcome.Success success) {
            String subject = success.user().username();
            Sessions.Started session = sessions.start(subject, now, now);
            Write recorded = pushedRequests.recordLogin(t.requestUri(), interactionHash, Hashes.sha256Url(next),
                    new PushedRequests.SignedIn(subject, now));
            if (store.transact(List.of(recorded, success.release(), session.write()), now).isPresent()) {
                return Pages.error(FORM_EXPIRED);
            }
            return withCookies(Pages.consent(t.client().clientId(), trusted.request().scopes(), t.requestUri(), next,
                    subject, formAction(trusted)), List.of(session.cookie()));
        }
        String message = outcome instanceof LoginCheck.Outcome.Throttled
                ? "Too many failed sign-in attempts. Try again later." : "Invalid username or password.";
        return Pages.login(t.client().clientId(), t.requestUri(), next, message, formAction(trusted));
    }

    /**
     * The consent form: one conditional write ends the authorization (C-AZ-3: the request_uri is
     * used once; a second completion finds nothing) and, with consent, stores the code's hash on it.
     */
    private Response consent(Map<String, String> form, Target t, String interactionHash, String csrf, Instant now) {
        String decision = form.getOrDefault("decision", "");
        if (!decision.equals("allow") && !decision.equals("cancel")) {
            return Pages.error("Choose Allow or Cancel.");
        }
        boolean allow = decision.equals("allow");
        String code = codes.newCode(t.requestUri());
        Optional<PushedRequests.IssuedCode> issued = allow
                ? Optional.of(new PushedRequests.IssuedCode(AuthorizationCodes.hash(code), secrets.next()))
                : Optional.empty();
        Optional<PushedRequests.Pushed> completed = pushedRequests.complete(t.requestUri(), t.client().clientId(),
                interactionHash, csrf, issued, now.plus(config.codeLifetime()), now);   // FAPI 2.0 SP 5.3.2.1 item 11
        if (completed.isEmpty()) {
            return Pages.error(consentRefusedReason(t, interactionHash, csrf, now));
        }
        PushedRequests.Pushed trusted = completed.get();   // this client\'s, live and open: errors may now redirect
        List<String> clear = List.of(Cookies.clear(t.interactionCookie()));
        if (!allow) {
            return redirectError(trusted, "access_denied", "the user cancelled", clear);   // C-AZ-5
        }
        List<String[]> params = new ArrayList<>();
        params.add(new String[] {"code", code});
        trusted.request().state().ifPresent(s -> params.add(new String[] {"state", s}));
        params.add(new String[] {"iss", config.issuer()});                              // RFC 9207
        return redirect(trusted, params, clear);
    }

    private String consentRefusedReason(Target t, String interactionHash, String csrf, Instant now) {
        Optional<PushedRequests.Pushed> open = pushedRequests.find(t.requestUri(), now)
                .filter(p -> p.request().clientId().equals(t.client().clientId()));
        if (open.isEmpty()) {
            return "This authorization has already been completed, or is unknown or expired.";
        }
        boolean sameForm = open.get().interactionHash().filter(interactionHash::equals).isPresent()
                && open.get().csrfHash().filter(csrf::equals).isPresent();
        return sameForm && open.get().subject().isEmpty()
                ? "You are not signed in. Return to the application and start again." : FORM_EXPIRED;
    }

    /**
     * Who is signed in for this authorization: the login of this interaction, or the browser's
     * session unless prompt=login or max_age asks for a fresh login (OIDC Core 3.1.2.1; max_age=0
     * is prompt=login, even for a session started within the same second).
     */
    private Optional<PushedRequests.SignedIn> authenticated(Request request, PushedRequests.Pushed t, Instant now) {
        if (t.subject().isPresent()) {
            return Optional.of(new PushedRequests.SignedIn(t.subject().get(), t.authTime().orElse(now)));
        }
        boolean promptLogin = t.request().prompt().filter(p -> List.of(p.split(" ")).contains("login")).isPresent();
        return sessions.find(request, now)
                .filter(s -> !promptLogin)
                .filter(s -> t.request().maxAge().map(max -> max > 0 && !s.authTime().plusSeconds(max).isBefore(now)).orElse(true))
                .map(s -> new PushedRequests.SignedIn(s.subject(), s.authTime()));
    }

    private Response redirectError(PushedRequests.Pushed t, String error, String description, List<String> cookies) {
        List<String[]> params = new ArrayList<>();
        params.add(new String[] {"error", error});
        params.add(new String[] {"error_description", description});
        t.request().state().ifPresent(s -> params.add(new String[] {"state", s}));
        params.add(new String[] {"iss", config.issuer()});
        return redirect(t, params, cookies);
    }

    /** 303 to the registered redirect URI, its own query kept (C-AZ-4: 303, never 307). */
    private Response redirect(PushedRequests.Pushed t, List<String[]> params, List<String> cookies) {
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

    private static String formAction(PushedRequests.Pushed t) {
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
