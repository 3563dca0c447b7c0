package dev.fapi2lambda.core.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One item of the table: its partition key and attributes. Attribute values are String, Long,
 * Boolean or List of String, which is all the table needs and maps one-to-one onto DynamoDB.
 * {@code expiresAt} (epoch seconds) is the TTL attribute.
 */
public record Item(String pk, Map<String, Object> attributes) {
    public static final String EXPIRES_AT = "expiresAt";

    public Item {
        attributes = Map.copyOf(attributes);
        attributes.values().forEach(Item::checkType);
    }

    public static Builder of(String pk) {
        return new Builder(pk);
    }

    public Optional<String> string(String name) {
        return Optional.ofNullable((String) attributes.get(name));
    }

    public String required(String name) {
        return string(name).orElseThrow(() -> new IllegalStateException("item " + pk + " has no " + name));
    }

    public Optional<Long> number(String name) {
        return Optional.ofNullable((Long) attributes.get(name));
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(attributes.get(name));
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        return (List<String>) attributes.getOrDefault(name, List.of());
    }

    public Optional<Instant> expiresAt() {
        return number(EXPIRES_AT).map(Instant::ofEpochSecond);
    }

    /** DynamoDB deletes expired items late (hours, even days): expiry is decided here, on every read. */
    public boolean isLive(Instant now) {
        return expiresAt().map(exp -> exp.isAfter(now)).orElse(true);
    }

    private static void checkType(Object value) {
        if (!(value instanceof String || value instanceof Long || value instanceof Boolean || value instanceof List)) {
            throw new IllegalArgumentException("unsupported attribute type " + value.getClass());
        }
    }

    /** Builds an item attribute by attribute; absent optional values are left out. */
    public static final class Builder {
        private final String pk;
        private final Map<String, Object> attributes = new LinkedHashMap<>();

        private Builder(String pk) {
            this.pk = pk;
        }

        public Builder put(String name, Object value) {
            if (value instanceof Optional<?> optional) {
                optional.ifPresent(v -> attributes.put(name, v));
            } else if (value instanceof Integer i) {
                attributes.put(name, i.longValue());
            } else if (value != null) {
                attributes.put(name, value instanceof List<?> list ? List.copyOf(list) : value);
            }
            return this;
        }

        public Builder expiresAt(Instant instant) {
            return put(EXPIRES_AT, instant.getEpochSecond());
        }

        public Item build() {
            return new Item(pk, attributes);
        }
    }
}
