package dev.fapi2lambda.core.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One conditional change to a live item, as a DynamoDB UpdateItem expresses it: attributes to set,
 * numbers to add to, attributes to remove; applied only if the item exists, is live, and every
 * condition holds: {@code expected} attributes equal their values, {@code present} attributes
 * exist, {@code absent} attributes do not, and each {@code below} attribute is absent or less than
 * its bound.
 */
public record Change(String pk, Map<String, Object> set, Map<String, Long> add, List<String> remove,
                     Map<String, Object> expected, List<String> present, List<String> absent,
                     Map<String, Long> below) {

    public Change {
        set = normalise(set);
        add = Map.copyOf(add);
        remove = List.copyOf(remove);
        expected = normalise(expected);
        present = List.copyOf(present);
        absent = List.copyOf(absent);
        below = Map.copyOf(below);
        if (set.isEmpty() && add.isEmpty() && remove.isEmpty()) {
            throw new IllegalArgumentException("a change must change something");
        }
    }

    public static Builder on(String pk) {
        return new Builder(pk);
    }

    /** Whether every condition holds on the item (which the caller found live). */
    public boolean holdsOn(Item item) {
        Map<String, Object> a = item.attributes();
        return expected.entrySet().stream().allMatch(e -> e.getValue().equals(a.get(e.getKey())))
                && present.stream().allMatch(a::containsKey)
                && absent.stream().noneMatch(a::containsKey)
                && below.entrySet().stream().allMatch(e -> !a.containsKey(e.getKey())
                        || a.get(e.getKey()) instanceof Long v && v < e.getValue());
    }

    /** The item with the change applied. */
    public Item applyTo(Item item) {
        Map<String, Object> a = new LinkedHashMap<>(item.attributes());
        a.putAll(set);
        add.forEach((name, n) -> a.put(name, (a.get(name) instanceof Long v ? v : 0L) + n));
        remove.forEach(a::remove);
        return new Item(item.pk(), a);
    }

    /** Values as Item stores them (Integer becomes Long). */
    private static Map<String, Object> normalise(Map<String, Object> values) {
        Item.Builder b = Item.of("-");
        values.forEach(b::put);
        return Map.copyOf(b.build().attributes());
    }

    public static final class Builder {
        private final String pk;
        private final Map<String, Object> set = new LinkedHashMap<>();
        private final Map<String, Long> add = new LinkedHashMap<>();
        private final List<String> remove = new ArrayList<>();
        private final Map<String, Object> expected = new LinkedHashMap<>();
        private final List<String> present = new ArrayList<>();
        private final List<String> absent = new ArrayList<>();
        private final Map<String, Long> below = new LinkedHashMap<>();

        private Builder(String pk) {
            this.pk = pk;
        }

        /** Sets the attribute (an empty Optional or null sets nothing). */
        public Builder set(String name, Object value) {
            if (value instanceof java.util.Optional<?> o) {
                o.ifPresent(v -> set.put(name, v));
            } else if (value != null) {
                set.put(name, value);
            }
            return this;
        }

        public Builder add(String name, long n) {
            add.put(name, n);
            return this;
        }

        public Builder remove(String name) {
            remove.add(name);
            return this;
        }

        public Builder expect(String name, Object value) {
            expected.put(name, value);
            return this;
        }

        public Builder present(String name) {
            present.add(name);
            return this;
        }

        public Builder absent(String name) {
            absent.add(name);
            return this;
        }

        /** The attribute is absent or less than {@code bound}. */
        public Builder below(String name, long bound) {
            below.put(name, bound);
            return this;
        }

        public Change build() {
            return new Change(pk, set, add, remove, expected, present, absent, below);
        }
    }
}
