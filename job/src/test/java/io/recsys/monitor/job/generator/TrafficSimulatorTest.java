package io.recsys.monitor.job.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.recsys.monitor.config.MonitorConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficSimulatorTest {
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    static GeneratorSettings settings(String... keyValues) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return GeneratorSettings.fromConfig(MonitorConfig.defaults().with(raw));
    }

    private static List<GeneratedEvent> take(TrafficSimulator sim, int n) {
        List<GeneratedEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(sim.next());
        }
        return events;
    }

    private static List<String> lines(GeneratorSettings settings, int n) {
        TrafficSimulator sim = new TrafficSimulator(settings);
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(sim.next().json);
        }
        return lines;
    }

    @Test
    void sameSeedGivesSameOutputAndOtherSeedOtherOutput() {
        GeneratorSettings a = settings("generator.malformed-share", "0.02");
        assertThat(lines(a, 20_000)).isEqualTo(lines(a, 20_000));

        List<String> other = lines(settings("generator.seed", "43"), 1_000);
        List<String> base = lines(settings("generator.seed", "42"), 1_000);
        long equal = 0;
        for (int i = 0; i < 1_000; i++) {
            equal += base.get(i).equals(other.get(i)) ? 1 : 0;
        }
        assertThat(equal).isLessThan(10);
    }

    @Test
    void skipToReachesTheSameEvents() {
        GeneratorSettings s =
                settings("generator.malformed-share", "0.05", "generator.scenarios", "ctr-drop");
        List<String> all = lines(s, 13_345);

        TrafficSimulator skipped = new TrafficSimulator(s);
        skipped.skipTo(12_345);
        assertThat(skipped.emitted()).isEqualTo(12_345);
        for (int i = 12_345; i < 13_345; i++) {
            assertThat(skipped.next().json).isEqualTo(all.get(i));
        }
        assertThat(skipped.emitted()).isEqualTo(13_345);
        assertThatThrownBy(() -> skipped.skipTo(10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eventsComeInEventTimeOrderWithTheirWrittenTime() {
        TrafficSimulator sim =
                new TrafficSimulator(settings("generator.requests-per-second", "20"));
        long previous = Long.MIN_VALUE;
        for (GeneratedEvent e : take(sim, 50_000)) {
            assertThat(e.eventTime).isGreaterThanOrEqualTo(previous);
            previous = e.eventTime;
            JsonNode node = EventContract.parse(e.json);
            assertThat(EventContract.eventTimeMillis(node)).isEqualTo(e.eventTime);
            assertThat(node.get("event_time").asText())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
        assertThat(previous).isGreaterThan(START);
    }

    @Test
    void everyLineKeepsTheContractUnlessMarkedMalformed() {
        GeneratorSettings s =
                settings(
                        "generator.malformed-share", "0.1",
                        "generator.segments", "new,pre\"mium\\,returning",
                        "generator.scenarios",
                                "feature-drift@2026-01-01T00:10:00Z,error-burst,latency-spike");
        TrafficSimulator sim = new TrafficSimulator(s);
        long malformed = 0;
        Map<String, Long> eventTypes = new HashMap<>();
        for (GeneratedEvent e : take(sim, 50_000)) {
            String violation = EventContract.violation(e.json);
            if (e.malformed) {
                malformed++;
                assertThat(violation).as("malformed line %s", e.json).isNotNull();
            } else {
                assertThat(violation).as("line %s", e.json).isNull();
                JsonNode node = EventContract.parse(e.json);
                eventTypes.merge(node.get("event_type").asText(), 1L, Long::sum);
                if (node.get("event_type").asText().equals("prediction")) {
                    assertThat(node.get("features").size()).isBetween(8, 10);
                    assertThat(s.segments()).contains(node.get("user_segment").asText());
                    assertThat(s.modelVersions()).contains(node.get("model_version").asText());
                }
            }
        }
        assertThat((double) malformed / 50_000).isCloseTo(0.1, within(0.01));
        assertThat(eventTypes).containsKeys("prediction", "feedback");
    }

    @Test
    void predictionsCarryRankedItemsWithFixedCategoryAndPrice() {
        TrafficSimulator sim = new TrafficSimulator(settings());
        Map<String, String> itemAttributes = new HashMap<>();
        Map<String, Integer> modelVersions = new HashMap<>();
        Map<String, Integer> segments = new HashMap<>();
        int nullReferrers = 0;
        int predictions = 0;
        for (GeneratedEvent e : take(sim, 20_000)) {
            JsonNode node = EventContract.parse(e.json);
            if (!node.get("event_type").asText().equals("prediction")
                    || node.get("status").asText().equals("error")) {
                continue;
            }
            predictions++;
            List<String> features = new ArrayList<>();
            node.get("features").fieldNames().forEachRemaining(features::add);
            assertThat(features).isEqualTo(TrafficSimulator.FEATURES);
            modelVersions.merge(node.get("model_version").asText(), 1, Integer::sum);
            segments.merge(node.get("user_segment").asText(), 1, Integer::sum);
            JsonNode recs = node.get("recommendations");
            assertThat(recs.size()).isEqualTo(10);
            double previousScore = 1.0;
            for (JsonNode r : recs) {
                double score = r.get("score").asDouble();
                assertThat(score).isGreaterThan(0.0).isLessThanOrEqualTo(previousScore);
                previousScore = score;
                String attributes = r.get("category").asText() + "/" + r.get("price").asText();
                String known = itemAttributes.putIfAbsent(r.get("item_id").asText(), attributes);
                assertThat(known == null || known.equals(attributes)).isTrue();
            }
            if (node.get("features").get("referrer").isNull()) {
                nullReferrers++;
            }
            assertThat(node.get("features").get("is_logged_in").isBoolean()).isTrue();
            assertThat(node.get("features").get("device").isTextual()).isTrue();
        }
        assertThat((double) nullReferrers / predictions).isBetween(0.03, 0.07);
        assertThat(itemAttributes.size()).isGreaterThan(500);
        // Equal shares: each of 2 model versions and 3 segments within a few points.
        assertThat(modelVersions.keySet()).containsExactlyInAnyOrder("v1", "v2");
        for (int count : modelVersions.values()) {
            assertThat((double) count / predictions).isCloseTo(0.5, within(0.03));
        }
        assertThat(segments.keySet()).containsExactlyInAnyOrder("new", "returning", "premium");
        for (int count : segments.values()) {
            assertThat((double) count / predictions).isCloseTo(1.0 / 3, within(0.03));
        }
    }

    @Test
    void funnelRatesMatchTheConfiguredRates() {
        // Requests of the first hour, with their feedback until 30 minutes after the last one:
        // a cut at a fixed time would miss the purchases still to come.
        // Flat traffic: with the daily cycle the first hour (00:00 UTC) is not the mean hour.
        TrafficSimulator sim =
                new TrafficSimulator(
                        settings(
                                "generator.requests-per-second",
                                "20",
                                "generator.traffic-cycles",
                                "flat"));
        Set<String> measured = new HashSet<>();
        TrafficStats stats = new TrafficStats();
        while (true) {
            GeneratedEvent e = sim.next();
            if (e.eventTime >= START + HOUR + HOUR / 2) {
                break;
            }
            String requestId = EventContract.parse(e.json).get("request_id").asText();
            boolean prediction = e.json.startsWith("{\"event_type\":\"prediction\"");
            if (prediction && e.eventTime < START + HOUR) {
                measured.add(requestId);
            }
            if (measured.contains(requestId)) {
                stats.add(e.json);
            }
        }
        assertThat(stats.predictions).isCloseTo(72_000, within(1_500L));
        assertThat(stats.malformed).isZero();
        assertThat((double) stats.impressions / stats.recommended).isCloseTo(0.8, within(0.01));
        assertThat(stats.ctr()).isCloseTo(0.035, within(0.035 * 0.05));
        assertThat((double) stats.addsToCart / stats.clicks).isCloseTo(0.1, within(0.01));
        assertThat(stats.conversion()).isCloseTo(0.1 * 0.2, within(0.02 * 0.15));
        assertThat(stats.averageOrderValue()).isBetween(60.0, 100.0);
        assertThat(stats.errorShare()).isLessThan(0.01);
        // Lognormal latency with p50 60 ms and p99 400 ms has a mean of about 84 ms.
        assertThat(stats.meanLatency()).isBetween(75.0, 95.0);
    }

    @Test
    void latencyHasTheConfiguredQuantiles() {
        TrafficSimulator sim = new TrafficSimulator(settings());
        List<Double> latencies = new ArrayList<>();
        while (latencies.size() < 20_000) {
            JsonNode node = EventContract.parse(sim.next().json);
            if (node.get("event_type").asText().equals("prediction")
                    && node.get("status").asText().equals("ok")) {
                latencies.add(node.get("latency_ms").asDouble());
            }
        }
        latencies.sort(null);
        assertThat(latencies.get(10_000)).isBetween(55.0, 65.0);
        assertThat(latencies.get(19_800)).isBetween(340.0, 470.0);
    }

    @Test
    void highClickRatesStayProbabilitiesWithTheConfiguredMean() {
        for (double rate : new double[] {0.0, 0.035, 0.3, 0.9, 1.0}) {
            double[] p = TrafficSimulator.clickProbabilities(rate, 10);
            double sum = 0;
            for (int k = 0; k < p.length; k++) {
                assertThat(p[k]).isBetween(0.0, 1.0 + 1e-12);
                if (k > 0) {
                    assertThat(p[k]).isLessThanOrEqualTo(p[k - 1]);
                }
                sum += p[k];
            }
            assertThat(sum / p.length).isCloseTo(rate, within(1e-12));
        }
        assertThat(TrafficSimulator.clickProbabilities(0.035, 10)[0]).isGreaterThan(0.07);
    }

    @Test
    void purchasesArriveWithinThirtyMinutesOfTheirPrediction() {
        TrafficSimulator sim =
                new TrafficSimulator(
                        settings(
                                "generator.requests-per-second", "5",
                                "generator.click-rate", "0.3",
                                "generator.add-to-cart-rate", "0.5",
                                "generator.purchase-rate", "0.5"));
        Map<String, Long> predictionTimes = new HashMap<>();
        long purchases = 0;
        long latestLag = 0;
        for (GeneratedEvent e : take(sim, 200_000)) {
            JsonNode node = EventContract.parse(e.json);
            String requestId = node.get("request_id").asText();
            if (node.get("event_type").asText().equals("prediction")) {
                predictionTimes.put(requestId, e.eventTime);
                continue;
            }
            Long predicted = predictionTimes.get(requestId);
            assertThat(predicted).as("feedback after its prediction: %s", e.json).isNotNull();
            long lag = e.eventTime - predicted;
            assertThat(lag).isBetween(0L, 30 * 60_000L - 1);
            if (node.get("action").asText().equals("purchase")) {
                purchases++;
                latestLag = Math.max(latestLag, lag);
            }
        }
        assertThat(purchases).isGreaterThan(1_000);
        assertThat(latestLag).isGreaterThan(15 * 60_000L);
    }

    @Test
    void requestsArriveAtTheConfiguredEventTimeRate() {
        // Flat traffic: the configured rate is the rate of every hour, not the day's mean.
        for (String rate : new String[] {"0.5", "50", "2000"}) {
            TrafficSimulator sim =
                    new TrafficSimulator(
                            settings(
                                    "generator.requests-per-second",
                                    rate,
                                    "generator.traffic-cycles",
                                    "flat"));
            long first = Long.MIN_VALUE;
            long last = 0;
            long predictions = 0;
            for (GeneratedEvent e : take(sim, 100_000)) {
                if (e.json.startsWith("{\"event_type\":\"prediction\"")) {
                    first = first == Long.MIN_VALUE ? e.eventTime : first;
                    last = e.eventTime;
                    predictions++;
                }
            }
            assertThat(first).isEqualTo(START);
            double expectedSpanMs = (predictions - 1) * 1000.0 / Double.parseDouble(rate);
            assertThat((double) (last - first))
                    .as("rate %s", rate)
                    .isCloseTo(expectedSpanMs, within(expectedSpanMs * 0.05 + 2));
        }
    }

    // --- scenarios: each starts one hour in and is compared with the hour before ---

    private static TrafficStats[] beforeAndAfter(String scenario, String... extra) {
        List<String> keyValues = new ArrayList<>();
        keyValues.add("generator.requests-per-second");
        keyValues.add("10");
        keyValues.add("generator.scenarios");
        keyValues.add(scenario + "@2026-01-01T01:00:00Z");
        keyValues.addAll(List.of(extra));
        TrafficSimulator sim = new TrafficSimulator(settings(keyValues.toArray(new String[0])));
        TrafficStats before = new TrafficStats();
        TrafficStats after = new TrafficStats();
        while (true) {
            GeneratedEvent e = sim.next();
            if (e.eventTime >= START + 2 * HOUR) {
                return new TrafficStats[] {before, after};
            }
            (e.eventTime < START + HOUR ? before : after).add(e.json);
        }
    }

    @Test
    void ctrDropCutsClickThroughRate() {
        TrafficStats[] s = beforeAndAfter("ctr-drop");
        assertThat(s[0].ctr()).isCloseTo(0.035, within(0.004));
        assertThat(s[1].ctr() / s[0].ctr()).isBetween(0.3, 0.5);
    }

    @Test
    void latencySpikeMultipliesLatency() {
        TrafficStats[] s = beforeAndAfter("latency-spike");
        assertThat(s[1].meanLatency() / s[0].meanLatency()).isBetween(4.5, 5.5);
    }

    @Test
    void errorBurstFailsAFifthOfResponsesSlowly() {
        TrafficStats[] s = beforeAndAfter("error-burst");
        assertThat(s[0].errorShare()).isLessThan(0.01);
        assertThat(s[1].errorShare()).isCloseTo(0.2, within(0.02));
        double okLatency =
                (s[1].latencySum - s[1].errorLatencySum) / (s[1].predictions - s[1].errors);
        assertThat(s[1].errorLatencySum / s[1].errors).isGreaterThan(2 * okLatency);
    }

    @Test
    void malformedEventsCorruptAShareOfLines() {
        TrafficStats[] s = beforeAndAfter("malformed-events");
        assertThat(s[0].malformed).isZero();
        assertThat(s[1].malformedShare()).isCloseTo(0.05, within(0.005));
    }

    @Test
    void malformedLinesCoverEveryKindOfFault() {
        TrafficSimulator sim = new TrafficSimulator(settings("generator.malformed-share", "0.2"));
        Map<String, Long> kinds = new HashMap<>();
        for (GeneratedEvent e : take(sim, 20_000)) {
            if (e.malformed) {
                kinds.merge(EventContract.violation(e.json).split(" ")[0], 1L, Long::sum);
            }
        }
        assertThat(kinds)
                .containsKeys(
                        "not", "request_id", "latency_ms", "item_id", "action", "recommendations");
    }

    @Test
    void featureDriftMovesFeaturesAndScores() {
        TrafficStats[] s = beforeAndAfter("feature-drift");
        assertThat(s[1].meanAge() - s[0].meanAge()).isBetween(6.5, 9.5);
        assertThat(s[1].meanSession() / s[0].meanSession()).isBetween(1.4, 1.8);
        assertThat(s[0].deviceShare("mobile") - s[1].deviceShare("mobile")).isGreaterThan(0.25);
        assertThat(s[0].deviceShare("smart_tv")).isZero();
        assertThat(s[1].deviceShare("smart_tv")).isGreaterThan(0.3);
        assertThat(s[0].meanTopScore() - s[1].meanTopScore()).isGreaterThan(0.15);
        // What the scenario does not touch stays put.
        assertThat(s[1].ctr()).isCloseTo(s[0].ctr(), within(0.006));
        assertThat(s[1].meanLatency() / s[0].meanLatency()).isBetween(0.9, 1.1);
    }

    @Test
    void trafficBeforeAScenarioIsUnchangedByIt() {
        long start = START + HOUR;
        TrafficSimulator plain = new TrafficSimulator(settings());
        TrafficSimulator dropped =
                new TrafficSimulator(
                        settings("generator.scenarios", "ctr-drop@2026-01-01T01:00:00Z"));
        while (true) {
            GeneratedEvent a = plain.next();
            GeneratedEvent b = dropped.next();
            // Requests within 2 s of the start may show items after it and differ from there.
            if (a.eventTime >= start - 2_000) {
                break;
            }
            assertThat(b.json).isEqualTo(a.json);
        }
    }

    @Test
    void extraFeaturesAddNumericalFeaturesAndLeaveTheRestOfTheTrafficUnchanged() {
        List<String> plain = lines(settings(), 5_000);
        List<String> wide = lines(settings("generator.extra-features", "11"), 5_000);
        double[] sums = new double[12];
        int predictions = 0;
        for (int i = 0; i < plain.size(); i++) {
            JsonNode a = EventContract.parse(plain.get(i));
            JsonNode b = EventContract.parse(wide.get(i));
            assertThat(EventContract.violation(wide.get(i))).isNull();
            if (!a.path("event_type").asText().equals("prediction")) {
                assertThat(wide.get(i)).isEqualTo(plain.get(i));
                continue;
            }
            predictions++;
            JsonNode features = b.get("features");
            assertThat(features.size()).isEqualTo(20);
            for (int f = 1; f <= 11; f++) {
                JsonNode value = features.get(TrafficSimulator.extraFeatureName(f));
                assertThat(value.isNumber()).isTrue();
                sums[f] += value.asDouble();
            }
            // Without its extra features the event is the one the default settings make.
            ObjectNode trimmed = (ObjectNode) b.get("features");
            for (int f = 1; f <= 11; f++) {
                trimmed.remove(TrafficSimulator.extraFeatureName(f));
            }
            assertThat(b).isEqualTo(a);
        }
        assertThat(TrafficSimulator.extraFeatureName(1)).isEqualTo("feature_01");
        assertThat(TrafficSimulator.extraFeatureName(11)).isEqualTo("feature_11");
        // Feature i has mean i: its sample mean over ~500 predictions is within 0.3 of it.
        for (int f = 1; f <= 11; f++) {
            assertThat(sums[f] / predictions).isCloseTo(f, within(0.3));
        }
    }

    @Test
    void readsEveryGeneratorKey() {
        GeneratorSettings s =
                settings(
                        "generator.seed", "7",
                        "generator.requests-per-second", "3.5",
                        "generator.start-time", "2025-06-01T12:00:00+02:00",
                        "generator.model-versions", "a,b,c",
                        "generator.segments", "x",
                        "generator.catalogue-size", "50",
                        "generator.categories", "30",
                        "generator.recommendations-per-response", "100",
                        "generator.extra-features", "4",
                        "generator.impression-rate", "0.5",
                        "generator.click-rate", "0.1",
                        "generator.add-to-cart-rate", "0.2",
                        "generator.purchase-rate", "0.3",
                        "generator.malformed-share", "0.01",
                        "generator.scenarios", "ctr-drop,latency-spike@2025-06-01T11:00:00Z",
                        "generator.events-per-second", "123",
                        "generator.max-events", "999");
        assertThat(s.seed()).isEqualTo(7);
        assertThat(s.requestsPerSecond()).isEqualTo(3.5);
        assertThat(s.startTimeMillis())
                .isEqualTo(Instant.parse("2025-06-01T10:00:00Z").toEpochMilli());
        assertThat(s.modelVersions()).containsExactly("a", "b", "c");
        assertThat(s.segments()).containsExactly("x");
        assertThat(s.catalogueSize()).isEqualTo(50);
        assertThat(s.categories()).isEqualTo(30);
        assertThat(s.recommendationsPerResponse()).isEqualTo(100);
        assertThat(s.extraFeatures()).isEqualTo(4);
        assertThat(s.impressionRate()).isEqualTo(0.5);
        assertThat(s.clickRate()).isEqualTo(0.1);
        assertThat(s.addToCartRate()).isEqualTo(0.2);
        assertThat(s.purchaseRate()).isEqualTo(0.3);
        assertThat(s.malformedShare()).isEqualTo(0.01);
        assertThat(s.scenarios())
                .containsExactly(
                        new Scenario(Scenario.Kind.CTR_DROP, Scenario.FROM_THE_START),
                        new Scenario(
                                Scenario.Kind.LATENCY_SPIKE,
                                Instant.parse("2025-06-01T11:00:00Z").toEpochMilli()));
        assertThat(s.eventsPerSecond()).isEqualTo(123);
        assertThat(s.maxEvents()).isEqualTo(999);

        // A catalogue of 50 items still fills 50 distinct slots of a 100-item response.
        TrafficSimulator sim = new TrafficSimulator(s);
        for (GeneratedEvent e : take(sim, 2_000)) {
            JsonNode node = EventContract.parse(e.json);
            if (node == null
                    || !node.path("event_type").asText().equals("prediction")
                    || node.get("recommendations").size() == 0) {
                continue;
            }
            assertThat(node.get("user_segment").asText()).isEqualTo("x");
            assertThat(node.get("recommendations").findValuesAsText("item_id"))
                    .hasSize(50)
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void pricesAverageNearTheTarget() {
        double sum = 0;
        for (int item = 0; item < 5_000; item++) {
            double price = TrafficSimulator.price(item);
            assertThat(price).isGreaterThan(0);
            sum += price;
        }
        assertThat(sum / 5_000).isCloseTo(57.0, within(3.0));
        StringBuilder sb = new StringBuilder();
        TrafficSimulator.appendFixed(sb, 0.00004, 4);
        sb.append(' ');
        TrafficSimulator.appendFixed(sb, 12.05, 2);
        sb.append(' ');
        TrafficSimulator.appendFixed(sb, 3, 1);
        assertThat(sb.toString()).isEqualTo("0.0000 12.05 3.0");
    }

    @Test
    void inverseNormalGivesTheStandardNormalQuantiles() {
        // Independent values: the standard normal table (Abramowitz and Stegun, 26.2) and, for
        // 1e-9, Python's statistics.NormalDist().inv_cdf (Wichura's AS 241). Every normal draw of
        // the generator (user ages, item prices, numeric features) goes through it.
        assertThat(TrafficSimulator.inverseNormal(0.5)).isCloseTo(0.0, within(1e-12));
        assertThat(TrafficSimulator.inverseNormal(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(TrafficSimulator.inverseNormal(0.025)).isCloseTo(-1.959964, within(1e-6));
        assertThat(TrafficSimulator.inverseNormal(0.999)).isCloseTo(3.090232, within(1e-6));
        assertThat(TrafficSimulator.inverseNormal(0.841344746)).isCloseTo(1.0, within(1e-6));
        // The price draw clamps its quantile to [1e-9, 1 - 1e-9]: finite there.
        assertThat(TrafficSimulator.inverseNormal(1e-9)).isCloseTo(-5.997807, within(1e-6));
    }
}
