package io.recsys.monitor.job.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.time.Duration;

/**
 * A client of the live dashboard that asks for its data as the page does ({@code dashboard.js}):
 * {@code data.json?since=RECORDS}, again a poll interval after each answer, where RECORDS is what
 * the last full answer held. It reads each answer to its end but parses only its record count: the
 * page parses and draws in the browser's process, not in the job's, so only the server's work is
 * the dashboard's cost to the job. One thread, blocking calls, no other thread started, so that the
 * client's own CPU time can be told apart.
 */
final class LivePageClient implements AutoCloseable {
    static final String THREAD_NAME = "bench-live-page-client";

    private static final JsonFactory JSON = new JsonFactory();

    private final String base;
    private final Duration interval;
    private final Thread thread;
    private volatile boolean stopped;
    private long records = -1;
    private long requests;
    private long fullAnswers;
    private long bytes;
    private long failures;

    LivePageClient(int port, Duration interval) {
        this.base = "http://127.0.0.1:" + port + "/data.json?since=";
        this.interval = interval;
        this.thread = new Thread(this::poll, THREAD_NAME);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void poll() {
        while (!stopped) {
            try {
                ask();
            } catch (IOException e) {
                failures++;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One question and its answer, as one turn of the page's poll. */
    void ask() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(base + records).openConnection();
        try {
            requests++;
            if (connection.getResponseCode() != 200) {
                return;
            }
            try (InputStream in = connection.getInputStream()) {
                byte[] body = in.readAllBytes();
                bytes += body.length;
                fullAnswers++;
                records = recordCount(body);
            }
        } finally {
            connection.disconnect();
        }
    }

    /** The {@code records} field of a data object, read without building the object. */
    static long recordCount(byte[] data) throws IOException {
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a data object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                parser.nextToken();
                if ("records".equals(field)) {
                    return parser.getLongValue();
                }
                parser.skipChildren();
            }
            throw new IOException("no record count in the data object");
        }
    }

    /** Stops asking and waits for the thread (its figures are final after this). */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join();
    }

    long requests() {
        return requests;
    }

    long fullAnswers() {
        return fullAnswers;
    }

    long bytes() {
        return bytes;
    }

    long failures() {
        return failures;
    }

    long records() {
        return records;
    }
}
