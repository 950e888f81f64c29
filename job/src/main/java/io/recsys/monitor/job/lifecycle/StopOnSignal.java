package io.recsys.monitor.job.lifecycle;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM for a local run: the first stops the job with a savepoint, a second
 * ends the process at once (the newest checkpoint remains to resume from). Replacing the JVM's
 * handlers of these signals also keeps the JVM's shutdown, and with it Flink's shutdown hooks, from
 * racing the savepoint.
 */
public final class StopOnSignal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StopOnSignal.class);

    /** The exit status of a process ended by SIGINT, as shells report it. */
    static final int INTERRUPTED = 130;

    private final AtomicInteger signals = new AtomicInteger();
    private final Supplier<CompletableFuture<String>> stop;
    private final CompletableFuture<String> savepoint = new CompletableFuture<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopOnSignal(Supplier<CompletableFuture<String>> stop) {
        this.stop = stop;
    }

    /**
     * Installs the handlers; {@code stop} starts a stop-with-savepoint and completes with the
     * savepoint's path.
     */
    public static StopOnSignal install(Supplier<CompletableFuture<String>> stop) {
        StopOnSignal handler = new StopOnSignal(stop);
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            handler.previous.put(
                    signal,
                    Signal.handle(signal, received -> handler.onSignal(received.getName())));
        }
        return handler;
    }

    private void onSignal(String name) {
        if (signals.incrementAndGet() > 1) {
            LOG.warn("event=stop_forced signal={}", name);
            System.err.println(
                    "recsys-monitor: stopped at once; the newest checkpoint remains, run the same"
                            + " command to resume");
            Runtime.getRuntime().halt(INTERRUPTED);
        }
        LOG.info("event=stop_requested signal={}", name);
        System.err.println(
                "recsys-monitor: stopping with a savepoint (press Ctrl-C again to stop at once)");
        stop.get()
                .whenComplete(
                        (path, failure) -> {
                            if (failure != null) {
                                LOG.warn("event=stop_savepoint_failed", failure);
                                System.err.println(
                                        "recsys-monitor: the savepoint failed (see the log);"
                                                + " press Ctrl-C again to stop at once");
                                savepoint.completeExceptionally(failure);
                            } else {
                                savepoint.complete(path);
                            }
                        });
    }

    /** Gives the signals back to the handlers they had before (the run is over). */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }

    /** Whether a stop was asked for. */
    public boolean requested() {
        return signals.get() > 0;
    }

    /** The savepoint of the stop, once it is taken. */
    public CompletableFuture<String> savepoint() {
        return savepoint;
    }
}
