package dev.fapi2lambda.core.testing;

import dev.fapi2lambda.core.config.Paths;
import dev.fapi2lambda.core.http.Endpoint;
import dev.fapi2lambda.core.http.Headers;
import dev.fapi2lambda.core.http.Request;
import dev.fapi2lambda.core.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser at the authorization endpoint: it keeps the cookies it is given (and drops the ones
 * cleared), sends them back, and submits the page's form with its hidden fields.
 */
public final class Browser {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
    private static final Pattern ALERT = Pattern.compile("<p role=\"alert\">([^<]*)</p>");
    private final Endpoint authorize;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    public Browser(Endpoint authorize) {
        this.authorize = authorize;
    }

    /** GET /authorize with these query parameters. */
    public Response get(Map<String, String> query) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        query.forEach((name, value) -> q.put(name, List.of(value)));
        return remember(authorize.handle(new Request("GET", Paths.AUTHORIZE, headers(Map.of()), q, new byte[0],
                Optional.empty(), "test-request")));
    }

    /** GET /authorize?client_id=..&request_uri=.. as a client's redirect would. */
    public Response open(String clientId, String requestUri) {
        return get(Forms.params("client_id", clientId, "request_uri", requestUri));
    }

    /** POST /authorize with exactly these form fields. */
    public Response post(Map<String, String> form) {
        Headers headers = headers(Map.of("Content-Type", "application/x-www-form-urlencoded"));
        return remember(authorize.handle(new Request("POST", Paths.AUTHORIZE, headers, Map.of(),
                Forms.of(form).getBytes(StandardCharsets.UTF_8), Optional.empty(), "test-request")));
    }

    /** Submits the form of {@code page}: its hidden fields plus the {@code name, value} pairs (null removes). */
    public Response submit(Response page, String... pairs) {
        return post(Forms.with(hiddenFields(page), pairs));
    }

    /** Another browser holding the same cookies now (a cookie kept or stolen), from here on independent. */
    public Browser copy() {
        Browser copy = new Browser(authorize);
        copy.cookies.putAll(cookies);
        return copy;
    }

    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    public Map<String, String> cookies() {
        return Map.copyOf(cookies);
    }

    /** The hidden inputs of the page's form, HTML-unescaped. */
    public static Map<String, String> hiddenFields(Response page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = HIDDEN.matcher(page.body());
        while (m.find()) {
            fields.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return fields;
    }

    /** The message of the page's alert paragraph, or empty. */
    public static Optional<String> alert(Response page) {
        Matcher m = ALERT.matcher(page.body());
        return m.find() ? Optional.of(unescape(m.group(1))) : Optional.empty();
    }

    /** The decoded query parameters of the redirect's Location. */
    public static Map<String, String> redirectParams(Response redirect) {
        return Forms.query(redirect.header("Location"));
    }

    private Headers headers(Map<String, String> extra) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        extra.forEach((k, v) -> h.put(k, List.of(v)));
        if (!cookies.isEmpty()) {
            h.put("Cookie", List.of(cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; "))));
        }
        return Headers.of(h);
    }

    private Response remember(Response response) {
        for (String setCookie : response.cookies()) {
            String pair = setCookie.split(";", 2)[0];
            int eq = pair.indexOf('=');
            String name = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            if (value.isEmpty() || setCookie.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
        return response;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }
}
