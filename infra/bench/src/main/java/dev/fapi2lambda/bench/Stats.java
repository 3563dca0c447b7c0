package dev.fapi2lambda.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Order statistics of a sample (nearest-rank percentiles; the median of an even sample is the mean of the middle two). */
final class Stats {
    private final List<Double> sorted;

    Stats(List<Double> values) {
        this.sorted = new ArrayList<>(values);
        Collections.sort(sorted);
    }

    int count() {
        return sorted.size();
    }

    double median() {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Nearest-rank percentile, p in (0, 100]. */
    double percentile(double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double min() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(0);
    }

    double max() {
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1);
    }

    double mean() {
        return sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", count());
        m.put("median", round(median()));
        m.put("p95", round(percentile(95)));
        m.put("p99", round(percentile(99)));
        m.put("min", round(min()));
        m.put("max", round(max()));
        return m;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100.0) / 100.0;
    }
}
