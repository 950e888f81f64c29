package io.recsys.monitor.sinks.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.Alert;
import io.recsys.monitor.sinks.json.AlertJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleAlertPrinterTest {

    @Test
    void printsOneFormattedLinePerCommittedAlertLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Alert raised = alert("ALARM", "OK");
        Alert resolved = alert("OK", "ALARM");
        ConsoleAlertPrinter printer = new ConsoleAlertPrinter(out);

        printer.committed(new AlertJson().encode(raised));
        printer.committed(new AlertJson().encode(resolved));

        assertThat(bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator()))
                .containsExactly(AlertLine.format(raised), AlertLine.format(resolved));
    }

    @Test
    void skipsALineThatIsNoAlert() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleAlertPrinter printer =
                new ConsoleAlertPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        printer.committed("{not json");

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
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
