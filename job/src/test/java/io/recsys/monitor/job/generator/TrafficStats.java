package io.recsys.monitor.job.generator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/** Counts and sums over parsed generator output, for the statistical assertions of the tests. */
final class TrafficStats {
    long lines;
    long malformed;
    long predictions;
    long errors;
    double latencySum;
    double errorLatencySum;
    double ageSum;
    double sessionSum;
    double topScoreSum;
    long recommended;
    final Map<String, Long> devices = new HashMap<>();
    long impressions;
    long clicks;
    long addsToCart;
    long purchases;
    double orderValueSum;

    /** Adds one line; a line that breaks the contract only counts as malformed. */
    void add(String line) {
        lines++;
        if (EventContract.violation(line) != null) {
            malformed++;
            return;
        }
        JsonNode e = EventContract.parse(line);
        if (e.get("event_type").asText().equals("prediction")) {
            predictions++;
            double latency = e.get("latency_ms").asDouble();
            latencySum += latency;
            if (e.get("status").asText().equals("error")) {
                errors++;
                errorLatencySum += latency;
            }
            JsonNode f = e.get("features");
            ageSum += f.get("user_age").asDouble();
            sessionSum += f.get("session_length_s").asDouble();
            devices.merge(f.get("device").asText(), 1L, Long::sum);
            JsonNode recs = e.get("recommendations");
            recommended += recs.size();
            if (recs.size() > 0) {
                topScoreSum += recs.get(0).get("score").asDouble();
            }
            return;
        }
        switch (e.get("action").asText()) {
            case "impression":
                impressions++;
                break;
            case "click":
                clicks++;
                break;
            case "add_to_cart":
                addsToCart++;
                break;
            default:
                purchases++;
                orderValueSum += e.get("order_value").asDouble();
        }
    }

    double meanLatency() {
        return latencySum / predictions;
    }

    double errorShare() {
        return (double) errors / predictions;
    }

    double meanAge() {
        return ageSum / predictions;
    }

    double meanSession() {
        return sessionSum / predictions;
    }

    double meanTopScore() {
        return topScoreSum / (predictions - errors);
    }

    double deviceShare(String device) {
        return (double) devices.getOrDefault(device, 0L) / predictions;
    }

    double ctr() {
        return (double) clicks / impressions;
    }

    double conversion() {
        return (double) purchases / clicks;
    }

    double averageOrderValue() {
        return orderValueSum / purchases;
    }

    double malformedShare() {
        return (double) malformed / lines;
    }
}
