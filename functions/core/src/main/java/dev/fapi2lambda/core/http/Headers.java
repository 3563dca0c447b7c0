package dev.fapi2lambda.core.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Request headers, case-insensitive by name (RFC 9110 5.1), each name with all its values. */
public final class Headers {
    private final Map<String, List<String>> values;

    private Headers(Map<String, List<String>> values) {
        this.values = values;
    }

    public static Headers of(Map<String, List<String>> raw) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        raw.forEach((name, list) -> map.merge(name, List.copyOf(list), (a, b) -> {
            var merged = new java.util.ArrayList<>(a);
            merged.addAll(b);
            return List.copyOf(merged);
        }));
        return new Headers(map);
    }

    public static Headers empty() {
        return of(Map.of());
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    public Optional<String> first(String name) {
        return all(name).stream().findFirst();
    }

    /** The media type of Content-Type, lower-cased and without parameters. */
    public Optional<String> mediaType() {
        return first("Content-Type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
    }

    public Map<String, List<String>> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }
}
