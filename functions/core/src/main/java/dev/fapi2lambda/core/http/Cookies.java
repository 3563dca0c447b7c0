package dev.fapi2lambda.core.http;

import java.util.Optional;

/** Reads a cookie from the Cookie header(s) and writes hardened Set-Cookie values. */
public final class Cookies {
    private Cookies() {
    }

    public static Optional<String> get(Request request, String name) {
        for (String header : request.headers().all("Cookie")) {
            // RFC 6265 5.4 pairs separated by ';'; some clients (java.net.CookieManager) still send
            // RFC 2965 style: ',' separators, quoted values and $-attributes, which are skipped.
            for (String pair : header.split("[;,]")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String value = pair.substring(eq + 1).trim();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value).filter(v -> !v.isEmpty());
                }
            }
        }
        return Optional.empty();
    }

    /** A __Host- cookie: Secure, HttpOnly, SameSite=Lax, whole host, no Domain (RFC 6265bis 4.1.3.2). */
    public static String set(String name, String value, long maxAgeSeconds) {
        return name + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; Secure; HttpOnly; SameSite=Lax";
    }

    public static String clear(String name) {
        return set(name, "", 0);
    }
}
