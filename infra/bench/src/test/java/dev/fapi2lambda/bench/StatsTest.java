package dev.fapi2lambda.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic behind every reported figure (fast: the benchmarks themselves are commands, never tests). */
class StatsTest {
    @Test
    void medianOfOddAndEvenSamples() {
        assertEquals(3.0, new Stats(List.of(5.0, 1.0, 3.0)).median());
        assertEquals(2.5, new Stats(List.of(4.0, 1.0, 3.0, 2.0)).median());
    }

    @Test
    void nearestRankPercentiles() {
        List<Double> hundred = java.util.stream.IntStream.rangeClosed(1, 100).mapToObj(i -> (double) i).toList();
        Stats s = new Stats(hundred);
        assertEquals(95.0, s.percentile(95));
        assertEquals(99.0, s.percentile(99));
        assertEquals(100.0, s.percentile(100));
        assertEquals(1.0, s.min());
    }

    @Test
    void callCounterDiffDropsUnchangedOperations() {
        assertEquals(Map.of("DynamoDB.GetItem", 2L),
                CallCounter.diff(Map.of("DynamoDB.GetItem", 5L, "KMS.Sign", 2L), Map.of("DynamoDB.GetItem", 3L, "KMS.Sign", 2L)));
    }
}
