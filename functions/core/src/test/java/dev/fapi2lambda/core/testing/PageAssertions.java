package dev.fapi2lambda.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fapi2lambda.core.http.Response;
import java.util.List;
import java.util.Locale;

/** Assertions on the authorization endpoint's pages, redirects and cookies (C-AZ-6, C-TLS-3). */
public final class PageAssertions {
    private PageAssertions() {
    }

    /** C-TLS-3, C-AZ-6: no-store, a CSP framed by nobody, HSTS of at least a year's order, and no CORS header. */
    public static void assertHardened(Response r) {
        assertEquals("no-store", r.header("Cache-Control"));
        String csp = r.header("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("frame-ancestors 'none'"), csp);
        String hsts = r.header("Strict-Transport-Security");
        assertTrue(hsts != null && hsts.matches("max-age=\\d{8,}.*"), hsts);
        assertTrue(r.headers().keySet().stream().noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-")),
                r.headers()::toString);
    }

    /** An HTML page with this status, hardened, that never redirects. */
    public static void assertPage(int status, Response r) {
        assertEquals(status, r.status(), r::body);
        assertTrue(r.header("Content-Type").startsWith("text/html"), r.header("Content-Type"));
        assertNull(r.header("Location"), "a page never redirects");
        assertHardened(r);
    }

    /** The 400 error page shown when nothing may be redirected to. */
    public static void assertErrorPage(Response r) {
        assertPage(400, r);
        assertTrue(r.body().contains("This request cannot be completed"), r.body());
    }

    public static void assertLoginPage(Response r) {
        assertPage(200, r);
        assertTrue(r.body().contains("type=\"password\"") && !r.body().contains("name=\"decision\""), r.body());
    }

    public static void assertConsentPage(Response r) {
        assertPage(200, r);
        assertTrue(r.body().contains("name=\"decision\"") && !r.body().contains("type=\"password\""), r.body());
    }

    /** A hardened 303 (never 302 or 307) whose Location starts with {@code prefix}; its decoded query parameters. */
    public static java.util.Map<String, String> assertRedirect(String prefix, Response r) {
        assertEquals(303, r.status(), r::body);
        assertTrue(r.header("Location").startsWith(prefix), r.header("Location"));
        assertHardened(r);
        return Forms.query(r.header("Location"));
    }

    /** The Set-Cookie value of the response that starts with {@code prefix}. */
    public static String cookieNamed(Response r, String prefix) {
        return r.cookies().stream().filter(c -> c.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no cookie " + prefix + " in " + r.cookies()));
    }

    /** A __Host- cookie: Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain (RFC 6265bis 4.1.3.2). */
    public static void assertHardenedCookie(String setCookie) {
        assertTrue(setCookie.startsWith("__Host-"), setCookie);
        List.of("; Secure", "; HttpOnly", "; SameSite=Lax", "; Path=/").forEach(a -> assertTrue(setCookie.contains(a), setCookie));
        assertFalse(setCookie.toLowerCase(Locale.ROOT).contains("domain="), setCookie);
    }
}
