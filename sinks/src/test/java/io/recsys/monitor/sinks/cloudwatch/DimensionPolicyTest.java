package io.recsys.monitor.sinks.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DimensionPolicyTest {

    @Test
    void keepsOnlyAllowedNames() {
        DimensionPolicy.Limiter limiter =
                DimensionPolicy.allow(List.of("ModelVersion", "UserSegment"), 10).newLimiter();
        TreeMap<String, String> out = new TreeMap<>();

        int folded =
                limiter.apply(
                        "NS",
                        "CTR",
                        Map.of("ModelVersion", "v1", "Region", "eu", "RequestId", "r1"),
                        out);

        assertThat(folded).isZero();
        assertThat(out).containsExactly(Map.entry("ModelVersion", "v1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_id", "userId", "UserId", "USERID", "user-id", "EndUserID"})
    void refusesAUserIdAsDimension(String name) {
        assertThatThrownBy(() -> DimensionPolicy.allow(List.of("ModelVersion", name), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + name + "' looks like a user id")
                .hasMessageContaining("cloudwatch.dimensions");
        assertThat(DimensionPolicy.isUserId(name)).isTrue();
    }

    @Test
    void doesNotMistakeOtherNamesForUserIds() {
        assertThat(DimensionPolicy.isUserId("UserSegment")).isFalse();
        assertThat(DimensionPolicy.isUserId("ModelVersion")).isFalse();
        assertThat(DimensionPolicy.isUserId("Identity")).isFalse();
    }

    @Test
    void refusesImpossibleConfigurations() {
        assertThatThrownBy(() -> DimensionPolicy.allow(List.of("A"), 0))
                .hasMessageContaining("cloudwatch.max-dimension-values must be at least 1");
        assertThatThrownBy(() -> DimensionPolicy.allow(List.of(" "), 5))
                .hasMessageContaining("1 to 255 characters");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            many.add("D" + i);
        }
        assertThatThrownBy(() -> DimensionPolicy.allow(many, 5))
                .hasMessageContaining("31 names, CloudWatch allows 30");
    }

    @Test
    void foldsValuesBeyondTheCapIntoOtherFirstComeFirstKept() {
        DimensionPolicy.Limiter limiter =
                DimensionPolicy.allow(List.of("ModelVersion"), 2).newLimiter();

        assertThat(sent(limiter, "CTR", "v1")).isEqualTo("v1");
        assertThat(sent(limiter, "CTR", "v2")).isEqualTo("v2");
        assertThat(sent(limiter, "CTR", "v3")).isEqualTo(DimensionPolicy.OTHER);
        assertThat(sent(limiter, "CTR", "v1")).as("kept values stay").isEqualTo("v1");
        assertThat(sent(limiter, "CTR", "v4")).isEqualTo(DimensionPolicy.OTHER);
        assertThat(sent(limiter, "CTR", "other")).as("not a new value").isEqualTo("other");
        assertThat(sent(limiter, "Latency", "v3")).as("counted per metric").isEqualTo("v3");
    }

    @Test
    void reportsHowManyValuesWereFolded() {
        DimensionPolicy.Limiter limiter = DimensionPolicy.allow(List.of("A", "B"), 1).newLimiter();
        TreeMap<String, String> out = new TreeMap<>();
        assertThat(limiter.apply("NS", "M", Map.of("A", "a1", "B", "b1"), out)).isZero();
        out.clear();
        assertThat(limiter.apply("NS", "M", Map.of("A", "a2", "B", "b2"), out)).isEqualTo(2);
        assertThat(out).containsOnly(Map.entry("A", "other"), Map.entry("B", "other"));
    }

    @Test
    void aMillionValuesMakeAtMostCapPlusOneSeries() {
        DimensionPolicy.Limiter limiter =
                DimensionPolicy.allow(List.of("ModelVersion"), 100).newLimiter();
        java.util.Set<String> sent = new java.util.HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            sent.add(sent(limiter, "CTR", "v" + i));
        }
        assertThat(sent).hasSize(101).contains(DimensionPolicy.OTHER);
    }

    @Test
    void travelsWithTheSink() throws Exception {
        DimensionPolicy policy = DimensionPolicy.allow(List.of("ModelVersion", "UserSegment"), 7);
        DimensionPolicy copy =
                InstantiationUtil.deserializeObject(
                        InstantiationUtil.serializeObject(policy), getClass().getClassLoader());
        assertThat(copy.allowedNames()).containsExactly("ModelVersion", "UserSegment");
        assertThat(copy.maxValuesPerDimension()).isEqualTo(7);
    }

    private static String sent(DimensionPolicy.Limiter limiter, String metric, String value) {
        TreeMap<String, String> out = new TreeMap<>();
        limiter.apply("NS", metric, Collections.singletonMap("ModelVersion", value), out);
        return out.get("ModelVersion");
    }
}
