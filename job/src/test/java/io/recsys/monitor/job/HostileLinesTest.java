package io.recsys.monitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.monitor.model.InputRecord;
import io.recsys.monitor.model.RawLine;
import io.recsys.monitor.operators.ingest.EventLimits;
import io.recsys.monitor.operators.ingest.EventParser;
import io.recsys.monitor.text.UnicodeText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every line of the hostile corpus, parsed as the file source and the Kinesis source hand it over:
 * the category the corpus expects, a reason that names what is wrong, and the same record both
 * ways.
 */
class HostileLinesTest {
    private final EventParser parser = new EventParser(EventLimits.defaults());

    @Test
    void theCorpusHasAtLeastFiftyKindsOfHostileLine() {
        List<HostileLines.Entry> entries = HostileLines.load();

        assertThat(entries).hasSizeGreaterThanOrEqualTo(50);
        assertThat(entries).extracting(e -> e.label).doesNotHaveDuplicates();
    }

    @Test
    void everyHostileLineGetsTheExpectedOutcome() {
        for (HostileLines.Entry entry : HostileLines.load()) {
            InputRecord fromFile =
                    parser.parse(new RawLine(entry.bytes, entry.bytes.length), "file:x", 1L);
            InputRecord fromKinesis = parser.parse(entry.bytes, "file:x", 1L);

            assertThat(fromKinesis.toString()).as(entry.label).isEqualTo(fromFile.toString());
            if (fromFile.deadLetter == null) {
                assertThat(entry.mayBeAccepted())
                        .as("%s was accepted: %s", entry.label, fromFile)
                        .isTrue();
                continue;
            }
            assertThat(entry.expected)
                    .as("%s: %s", entry.label, fromFile.deadLetter.reason)
                    .contains(fromFile.deadLetter.category);
            if (entry.reasonContains != null) {
                assertThat(fromFile.deadLetter.reason)
                        .as(entry.label)
                        .contains(entry.reasonContains);
            }
            assertThat(UnicodeText.printable(fromFile.deadLetter.reason))
                    .as("%s: the reason is printable", entry.label)
                    .isEqualTo(fromFile.deadLetter.reason);
            boolean utf8 =
                    UnicodeText.invalidUtf8At(entry.bytes, 0, entry.bytes.length)
                            == UnicodeText.VALID;
            assertThat(fromFile.deadLetter.rawBase64 != null)
                    .as("%s: raw_base64 exactly when the bytes are not UTF-8", entry.label)
                    .isEqualTo(!utf8);
        }
    }
}
