package dev.fapi2lambda.core.http;

import dev.fapi2lambda.core.error.OAuthException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An application/x-www-form-urlencoded body, decoded strictly: UTF-8 only (invalid bytes are an
 * error, not a replacement character) and no parameter sent twice (RFC 6749 3.1, 3.2).
 */
public final class Form {
    private final Map<String, String> params;

    private Form(Map<String, String> params) {
        this.params = params;
    }

    /** Reads the body of a POST whose Content-Type is form-encoded; anything else is a 4xx. */
    public static Form of(Request request, int maxBytes) {
        if (!request.headers().mediaType().filter("application/x-www-form-urlencoded"::equals).isPresent()) {
            throw OAuthException.status(415, "invalid_request",
                    "Content-Type must be application/x-www-form-urlencoded");
        }
        if (request.body().length > maxBytes) {
            throw OAuthException.status(413, "invalid_request", "request body is larger than " + maxBytes + " bytes");
        }
        return parse(request.body());
    }

    static Form parse(byte[] body) {
        String text = utf8(body, "request body");
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.putIfAbsent(name, value) != null) {
                throw OAuthException.invalidRequest("parameter " + name + " is included more than once");
            }
        }
        return new Form(Collections.unmodifiableMap(params));
    }

    /** The value of a parameter; an empty value counts as absent (RFC 6749 3.1). */
    public Optional<String> get(String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> OAuthException.invalidRequest(name + " is required"));
    }

    public boolean has(String name) {
        return params.containsKey(name);
    }

    public Map<String, String> asMap() {
        return params;
    }

    private static String decode(String encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i += Character.charCount(encoded.codePointAt(i))) {
            int c = encoded.codePointAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw OAuthException.invalidRequest("malformed percent-encoding in request body");
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw OAuthException.invalidRequest("malformed percent-encoding in request body");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] bytes = Character.toString(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return utf8(out.toByteArray(), "request parameter");
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw OAuthException.invalidRequest(what + " is not valid UTF-8");
        }
    }

    /** Names of the parameters, in order. */
    public List<String> names() {
        return new ArrayList<>(params.keySet());
    }
}
