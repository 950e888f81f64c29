package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.Alert;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleAlertWriterTest {

    @Test
    void printsOneFormattedLinePerAlert() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Alert raised = alert("ALARM", "OK");
        Alert resolved = alert("OK", "ALARM");

        try (ConsoleAlertWriter writer = new ConsoleAlertWriter(out)) {
            writer.write(raised, null);
            writer.write(resolved, null);
            writer.flush(true);
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator()))
                .containsExactly(AlertLine.format(raised), AlertLine.format(resolved));
    }

    @Test
    void leavesTheStreamOpenOnClose() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        new ConsoleAlertWriter(out).close();
        out.print("still open");

        assertThat(out.checkError()).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("still open");
    }

    private static Alert alert(String state, String previousState) {
        Alert alert = new Alert();
        alert.alarmName = "recommendation-low-ctr";
        alert.severity = "warning";
        alert.state = state;
        alert.previousState = previousState;
        alert.metric = "CTR";
        alert.value = 2.5;
        alert.threshold = 3.0;
        alert.reason = "CTR below 3.0";
        return alert;
    }
}
