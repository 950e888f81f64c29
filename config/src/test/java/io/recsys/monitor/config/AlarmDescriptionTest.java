package io.recsys.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.config.AlarmDefinition.Comparison;
import org.junit.jupiter.api.Test;

/** Descriptions quote the threshold of the severity at hand: the level that was crossed. */
class AlarmDescriptionTest {

    @Test
    void theDefaultLatencyAlarmQuotesEachSeveritysOwnLevel() {
        AlarmDefinition latency = AlarmCatalog.defaults().alarm("recommendation-api-high-latency");
        assertThat(latency.description()).isEqualTo("API p99 latency above {threshold} ms");
        assertThat(latency.description("warning")).isEqualTo("API p99 latency above 800 ms");
        assertThat(latency.description("critical")).isEqualTo("API p99 latency above 1000 ms");

        AlarmDefinition ctr = AlarmCatalog.defaults().alarm("recommendation-low-ctr");
        assertThat(ctr.description("warning")).isEqualTo("Click-through rate below 2.5%");
        assertThat(ctr.description("critical")).isEqualTo("Click-through rate below 2%");
    }

    @Test
    void everyDefaultDescriptionIsFilledForEverySeverityItHas() {
        for (AlarmDefinition d : AlarmCatalog.defaults().alarms()) {
            for (String severity : new String[] {"warning", "critical"}) {
                if (!Double.isNaN(d.threshold(severity))) {
                    assertThat(d.description(severity))
                            .as(d.name() + " " + severity)
                            .doesNotContain(AlarmDefinition.THRESHOLD_PLACEHOLDER);
                }
            }
        }
    }

    @Test
    void aDescriptionWithoutThePlaceholderIsUsedAsWritten() {
        AlarmDefinition d =
                AlarmDefinition.builder("a", "Errors")
                        .comparison(Comparison.GREATER_THAN)
                        .warningThreshold(5)
                        .criticalThreshold(10)
                        .description("Too many errors")
                        .build();
        assertThat(d.description("warning")).isEqualTo("Too many errors");
        assertThat(d.description("critical")).isEqualTo("Too many errors");
    }

    @Test
    void aSeverityWithoutALevelLeavesThePlaceholderAsWritten() {
        AlarmDefinition errors =
                AlarmCatalog.defaults().alarm("recommendation-api-high-error-rate");
        assertThat(errors.description("critical")).isEqualTo("API errors above 10 per minute");
        assertThat(errors.description("warning"))
                .isEqualTo("API errors above {threshold} per minute");
    }

    @Test
    void thresholdsAreWrittenAsPeopleWriteThem() {
        assertThat(AlarmDefinition.plain(1000.0)).isEqualTo("1000");
        assertThat(AlarmDefinition.plain(2.0)).isEqualTo("2");
        assertThat(AlarmDefinition.plain(0.4)).isEqualTo("0.4");
        assertThat(AlarmDefinition.plain(99.5)).isEqualTo("99.5");
        assertThat(AlarmDefinition.plain(-20)).isEqualTo("-20");
        assertThat(AlarmDefinition.plain(0)).isEqualTo("0");
        assertThat(AlarmDefinition.plain(1e-7)).isEqualTo("0.0000001");
    }
}
