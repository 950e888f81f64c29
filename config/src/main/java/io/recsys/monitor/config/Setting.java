package io.recsys.monitor.config;

import java.io.Serializable;
import java.util.Objects;

/**
 * One configuration key: its name, type, default and a line saying what it controls. All keys live
 * in {@link Settings}; nothing else may be read from a configuration source.
 */
public final class Setting<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final ValueType<T> type;
    private final String defaultText;
    private final String description;

    Setting(String key, ValueType<T> type, String defaultText, String description) {
        this.key = Objects.requireNonNull(key);
        this.type = Objects.requireNonNull(type);
        this.defaultText = Objects.requireNonNull(defaultText);
        this.description = Objects.requireNonNull(description);
        // A default that does not parse is a programming error: fail when the class loads.
        type.parse(defaultText);
    }

    public String key() {
        return key;
    }

    public ValueType<T> type() {
        return type;
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Parses {@code text} for this key, naming the key and the accepted values on failure. */
    public T parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        try {
            return type.parse(trimmed);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    "Invalid value '"
                            + trimmed
                            + "' for '"
                            + key
                            + "': "
                            + e.getMessage()
                            + " ("
                            + description
                            + ")");
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
