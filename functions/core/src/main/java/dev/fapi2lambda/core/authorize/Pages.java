package dev.fapi2lambda.core.authorize;

import dev.fapi2lambda.core.http.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server-rendered pages: login, consent and the error page. Plain HTML forms that work
 * without JavaScript; every page is no-store, framed by nobody, and under a CSP that allows no
 * script at all and posts only to this server (and, on consent, the redirect that follows).
 */
final class Pages {
    private static final Map<String, String> SCOPE_WORDS = Map.of(
            "openid", "Confirm who you are (sign you in)",
            "profile", "See your name",
            "email", "See your email address",
            "offline_access", "Keep this access when you are not using the app",
            "accounts", "Read your account details and balances");
    private static final String STYLE = "body{font-family:sans-serif;max-width:28em;margin:3em auto;padding:0 1em}"
            + "label,input,button{display:block;margin:.5em 0}button{padding:.5em 1em}";

    /** The CSP source of the one inline style: its SHA-256 (CSP Level 2 hash source), so no 'unsafe-inline'. */
    static final String STYLE_HASH = "'sha256-" + java.util.Base64.getEncoder().encodeToString(
            dev.fapi2lambda.core.crypto.Hashes.sha256(STYLE.getBytes(java.nio.charset.StandardCharsets.UTF_8))) + "'";

    private Pages() {
    }

    static Response login(String clientId, String requestUri, String csrf, String message, String formAction) {
        String body = "<h1>Sign in</h1>"
                + "<p>to continue to <strong>" + esc(clientId) + "</strong></p>"
                + (message.isEmpty() ? "" : "<p role=\"alert\">" + esc(message) + "</p>")
                + "<form method=\"post\" action=\"/authorize\">"
                + hidden("client_id", clientId) + hidden("request_uri", requestUri) + hidden("csrf", csrf)
                + hidden("step", "login")
                + "<label for=\"username\">Username</label>"
                + "<input id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>"
                + "<label for=\"password\">Password</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\">Sign in</button></form>";
        return page(200, "Sign in", body, formAction);
    }

    static Response consent(String clientId, List<String> scopes, String requestUri, String csrf, String subject,
                            String formAction) {
        StringBuilder items = new StringBuilder();
        for (String scope : scopes) {
            items.append("<li>").append(esc(SCOPE_WORDS.getOrDefault(scope, "Use the scope " + scope)))
                    .append(" <small>(").append(esc(scope)).append(")</small></li>");
        }
        String body = "<h1>Allow access?</h1>"
                + "<p>Signed in as <strong>" + esc(subject) + "</strong>.</p>"
                + "<p><strong>" + esc(clientId) + "</strong> asks to:</p><ul>" + items + "</ul>"
                + "<form method=\"post\" action=\"/authorize\">"
                + hidden("client_id", clientId) + hidden("request_uri", requestUri) + hidden("csrf", csrf)
                + hidden("step", "consent")
                + "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"
                + "<button type=\"submit\" name=\"decision\" value=\"cancel\">Cancel</button></form>";
        return page(200, "Allow access", body, formAction);
    }

    /** Shown when nothing may be redirected to (no trusted client and redirect URI): never redirects. */
    static Response error(String message) {
        return page(400, "Authorization error", "<h1>This request cannot be completed</h1><p>" + esc(message)
                + "</p><p>Return to the application and start again.</p>", "'self'");
    }

    /** The origin of a redirect URI, which the consent form's redirect goes to (CSP form-action covers redirects). */
    static String formAction(String redirectUri) {
        URI uri = URI.create(redirectUri);
        return "'self' " + uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static Response page(int status, String title, String body, String formAction) {
        String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width\"><title>" + esc(title) + "</title>"
                + "<style>" + STYLE + "</style></head><body>" + body + "</body></html>";
        return new Response(status, securityHeaders("text/html;charset=UTF-8", formAction), html);
    }

    /** The headers every authorization endpoint response carries (C-TLS-3, C-AZ-6). */
    static Map<String, String> securityHeaders(String contentType, String formAction) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("Cache-Control", "no-store");
        headers.put("Pragma", "no-cache");
        headers.put("Content-Security-Policy", "default-src 'none'; style-src " + STYLE_HASH + "; form-action "
                + formAction + "; frame-ancestors 'none'; base-uri 'none'");
        headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return headers;
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

    /** HTML-escapes text and attribute values (OWASP XSS rule 1 and 2 characters). */
    static String esc(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
