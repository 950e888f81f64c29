package io.recsys.monitor.config;

/** A configuration that cannot run: an unknown key, an impossible value or an unreadable file. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
