package dev.fapi2lambda.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reading the Cookie header (RFC 6265 5.4, and the RFC 2965 form some clients still send) and hardened Set-Cookie values. */
class CookiesTest {
    private static Request withCookies(String... headers) {
        return new Request("GET", "/authorize", Headers.of(Map.of("Cookie", List.of(headers))), Map.of(), new byte[0],
                Optional.empty(), "test-request");
    }

    @Test
    @DisplayName("C-AZ-3 an RFC 6265 header a=1; b=2 gives each cookie its value, and nothing for an absent one")
    void rfc6265() {
        Request request = withCookies("a=1; b=2");
        assertEquals(Optional.of("1"), Cookies.get(request, "a"));
        assertEquals(Optional.of("2"), Cookies.get(request, "b"));
        assertEquals(Optional.empty(), Cookies.get(request, "c"));
    }

    @Test
    @DisplayName("C-AZ-3 an RFC 2965 header $Version=\"1\", name=\"v\";$Path=\"/\" gives name the unquoted value v")
    void rfc2965() {
        Request request = withCookies("$Version=\"1\", name=\"v\";$Path=\"/\"");
        assertEquals(Optional.of("v"), Cookies.get(request, "name"));
        assertEquals(Optional.empty(), Cookies.get(request, "Version"));
        assertEquals(Optional.empty(), Cookies.get(request, "Path"));
    }

    @Test
    @DisplayName("C-AZ-3 names match exactly, across several Cookie headers, and an empty value counts as absent")
    void exactNamesAndSeveralHeaders() {
        Request request = withCookies("xa=1; a_b=2", "a=3; empty=");
        assertEquals(Optional.of("3"), Cookies.get(request, "a"));
        assertEquals(Optional.of("2"), Cookies.get(request, "a_b"));
        assertEquals(Optional.empty(), Cookies.get(request, "empty"));
        assertEquals(Optional.empty(), Cookies.get(withCookies(), "a"));
    }

    @Test
    @DisplayName("C-AZ-6 Set-Cookie values are Secure, HttpOnly, SameSite=Lax, whole host, no Domain; clearing sets Max-Age=0")
    void hardenedSetCookie() {
        String set = Cookies.set("__Host-x", "v", 600);
        assertEquals("__Host-x=v; Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Lax", set);
        assertFalse(set.contains("Domain"));
        assertEquals("__Host-x=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax", Cookies.clear("__Host-x"));
    }
}
