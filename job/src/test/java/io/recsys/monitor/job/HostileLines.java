package io.recsys.monitor.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The corpus of hostile input lines in {@code hostile/hostile-lines.txt}; see the README there. */
final class HostileLines {

    /** One hostile line and what the job must make of it. */
    static final class Entry {
        final String label;
        final List<String> expected;
        final String reasonContains;
        final byte[] bytes;

        Entry(String label, List<String> expected, String reasonContains, byte[] bytes) {
            this.label = label;
            this.expected = expected;
            this.reasonContains = reasonContains;
            this.bytes = bytes;
        }

        boolean mayBeAccepted() {
            return expected.contains("accepted");
        }

        /** Well-formed, but dated where the event-time guard rejects it. */
        boolean rejectedForTime() {
            return expected.contains("time_out_of_range");
        }

        boolean atEndOfFile() {
            return label.startsWith("eof:");
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private HostileLines() {}

    static List<Entry> load() {
        try (InputStream in =
                HostileLines.class.getResourceAsStream("/hostile/hostile-lines.txt")) {
            if (in == null) {
                throw new IllegalStateException(
                        "hostile/hostile-lines.txt is not on the classpath");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<Entry> entries = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\t", 4);
                if (fields.length != 4) {
                    throw new IllegalStateException("not four TAB-separated fields: " + line);
                }
                entries.add(
                        new Entry(
                                fields[0],
                                Arrays.asList(fields[1].split("/")),
                                fields[2].equals("-") ? null : fields[2],
                                payload(fields[3])));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] payload(String field) {
        if (field.startsWith("text:")) {
            return field.substring("text:".length()).getBytes(StandardCharsets.UTF_8);
        }
        if (field.startsWith("b64:")) {
            return Base64.getDecoder().decode(field.substring("b64:".length()));
        }
        throw new IllegalStateException("payload must start with text: or b64:, got " + field);
    }
}
