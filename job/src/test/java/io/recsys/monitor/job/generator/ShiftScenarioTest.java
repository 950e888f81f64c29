package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.ConfigException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shift scenarios move exactly what they name by the size they state, from their start, and
 * leave every other value of the traffic as it would have been: they draw nothing themselves.
 * Predictions only (impression rate 0), so that the i-th event of two runs is the same request.
 */
class ShiftScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START = "2026-01-01T00:00:00Z";
    private static final long TEN_MINUTES = Instant.parse(START).toEpochMilli() + 600_000L;
    private static final int N = 20_000;

    private static List<JsonNode> predictions(String scenarios) throws Exception {
        TrafficSimulator sim =
                new TrafficSimulator(
                        TrafficSimulatorTest.settings(
                                "generator.impression-rate",
                                "0",
                                "generator.requests-per-second",
                                "10",
                                "generator.scenarios",
                                scenarios));
        List<JsonNode> out = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            out.add(JSON.readTree(sim.next().json));
        }
        return out;
    }

    private static long time(JsonNode prediction) {
        return Instant.parse(prediction.get("event_time").asText()).toEpochMilli();
    }

    /** The prediction without the named feature, for comparing everything else. */
    private static JsonNode without(JsonNode prediction, String feature) {
        ObjectNode copy = prediction.deepCopy();
        ((ObjectNode) copy.get("features")).remove(feature);
        return copy;
    }

    @Test
    void aNumericShiftMovesOnlyItsFeatureByItsStandardDeviationsFromItsStart() throws Exception {
        List<JsonNode> clean = predictions("");
        List<JsonNode> shifted = predictions("shift:numeric=user_age:+0.5sd@2026-01-01T00:10:00Z");

        double sum = 0;
        int after = 0;
        for (int i = 0; i < N; i++) {
            JsonNode a = clean.get(i);
            JsonNode b = shifted.get(i);
            if (time(a) < TEN_MINUTES) {
                assertThat(b).isEqualTo(a);
                continue;
            }
            assertThat(without(b, "user_age")).isEqualTo(without(a, "user_age"));
            int diff =
                    b.get("features").get("user_age").asInt()
                            - a.get("features").get("user_age").asInt();
            // 0.5 sd of 11 years on the unrounded age: 5 or 6 after rounding, less at the clamp.
            assertThat(diff).isBetween(0, 6);
            sum += diff;
            after++;
        }
        assertThat(after).isGreaterThan(N / 2);
        assertThat(sum / after).isCloseTo(0.5 * TrafficSimulator.USER_AGE_SD, within(0.2));
    }

    @Test
    void aCategoryShiftMovesItsPointsFromTheMostToTheLeastCommonCategory() throws Exception {
        List<JsonNode> clean = predictions("");
        List<JsonNode> shifted = predictions("shift:category=device:10pt");

        int mobile = 0;
        int tablet = 0;
        for (int i = 0; i < N; i++) {
            assertThat(without(shifted.get(i), "device"))
                    .isEqualTo(without(clean.get(i), "device"));
            String device = shifted.get(i).get("features").get("device").asText();
            mobile += device.equals("mobile") ? 1 : 0;
            tablet += device.equals("tablet") ? 1 : 0;
        }
        // Mobile 58 % -> 48 %, tablet 8 % -> 18 %; 4 binomial standard errors of 20,000 draws.
        assertThat(mobile / (double) N).isCloseTo(0.48, within(0.015));
        assertThat(tablet / (double) N).isCloseTo(0.18, within(0.011));
    }

    @Test
    void aNewCategoryTakesItsShareAndLeavesTheOtherValuesAlone() throws Exception {
        List<JsonNode> clean = predictions("");
        List<JsonNode> shifted = predictions("shift:new-category=country:5%");

        int fresh = 0;
        for (int i = 0; i < N; i++) {
            assertThat(without(shifted.get(i), "country"))
                    .isEqualTo(without(clean.get(i), "country"));
            String country = shifted.get(i).get("features").get("country").asText();
            if (country.equals(TrafficSimulator.NEW_CATEGORY_PREFIX + "country")) {
                fresh++;
            } else {
                assertThat(country).isEqualTo(clean.get(i).get("features").get("country").asText());
            }
        }
        // 5 % of 20,000 within 4 binomial standard errors (0.0062).
        assertThat(fresh / (double) N).isCloseTo(0.05, within(0.0062));
    }

    @Test
    void aScoreShiftMovesEveryTopScoreByItsStandardDeviations() throws Exception {
        List<JsonNode> clean = predictions("");
        List<JsonNode> shifted = predictions("shift:score=-2sd");

        for (int i = 0; i < N; i++) {
            JsonNode a = clean.get(i);
            JsonNode b = shifted.get(i);
            assertThat(b.get("features")).isEqualTo(a.get("features"));
            if (a.get("recommendations").size() == 0) {
                continue;
            }
            double top = a.get("recommendations").get(0).get("score").asDouble();
            double moved = b.get("recommendations").get(0).get("score").asDouble();
            // 2 sd of the uniform on [0.55, 0.98]: 2 x 0.43 / sqrt(12); scores have 4 decimals.
            assertThat(moved - top).isCloseTo(-2 * 0.43 / Math.sqrt(12), within(1.01e-4));
            assertThat(b.get("recommendations").get(0).get("item_id"))
                    .isEqualTo(a.get("recommendations").get(0).get("item_id"));
        }
    }

    @Test
    void shiftsParseAndPrintTheirSize() {
        Scenario s = Scenario.parse("shift:numeric=user_age:0.3sd@2026-01-01T01:00:00Z");
        assertThat(s.kind()).isEqualTo(Scenario.Kind.SHIFT_NUMERIC);
        assertThat(s.feature()).isEqualTo("user_age");
        assertThat(s.amount()).isEqualTo(0.3);
        assertThat(s).hasToString("shift:numeric=user_age:+0.3sd@2026-01-01T01:00:00Z");
        for (String text :
                List.of(
                        "shift:category=device:5pt@2026-01-01T01:00:00Z/2026-01-01T02:00:00Z",
                        "shift:new-category=referrer:5%",
                        "shift:score=-1sd@2026-01-01T01:00:00Z",
                        "shift:numeric=feature_02:-0.2sd")) {
            assertThat(Scenario.parse(text)).hasToString(text);
            assertThat(Scenario.parse(Scenario.parse(text).toString()))
                    .isEqualTo(Scenario.parse(text));
        }
        assertThat(Scenario.parse("shift:score=-1sd").feature()).isNull();
    }

    @Test
    void rejectsShiftsTheTrafficCannotActOut() {
        for (String text :
                List.of(
                        "shift:numeric",
                        "shift:numeric=user_age:0.3",
                        "shift:numeric=device:1sd",
                        "shift:numeric=user_age:0sd",
                        "shift:category=user_age:5pt",
                        "shift:category=device:5%",
                        "shift:new-category=device:100%",
                        "shift:score=user_age:1sd",
                        "ctr-drop=5pt")) {
            assertThatThrownBy(() -> Scenario.parse(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        // Scores are uniform on [0.55, 0.98]: +1 sd would pass 1.
        assertThatThrownBy(
                        () ->
                                TrafficSimulatorTest.settings(
                                        "generator.scenarios", "shift:score=1sd"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("out of (0, 1]");
        assertThatThrownBy(
                        () ->
                                TrafficSimulatorTest.settings(
                                        "generator.scenarios", "shift:category=device:60pt"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("58.0 %");
        assertThatThrownBy(
                        () ->
                                TrafficSimulatorTest.settings(
                                        "generator.extra-features",
                                        "2",
                                        "generator.scenarios",
                                        "shift:numeric=feature_03:1sd"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("generator.extra-features is 2");
    }
}
