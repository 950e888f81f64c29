package io.recsys.monitor.config;

/**
 * The configuration reference as a Markdown table, generated from {@link Settings} so that the
 * documentation cannot drift from the code (a test compares it with docs/configuration.md).
 */
public final class ConfigReference {
    private ConfigReference() {}

    public static String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | default | accepted values | what it controls |\n");
        sb.append("|---|---|---|---|\n");
        for (Setting<?> s : Settings.all()) {
            sb.append("| `")
                    .append(s.key())
                    .append("` | ")
                    .append(s.defaultText().isEmpty() ? "(empty)" : "`" + s.defaultText() + "`")
                    .append(" | ")
                    .append(s.type().accepted())
                    .append(" | ")
                    .append(s.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** Prints the table, for regenerating docs/configuration.md. */
    public static void main(String[] args) {
        System.out.print(markdownTable());
    }
}
