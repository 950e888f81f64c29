package io.recsys.monitor.job.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.SecurityOptions;

/**
 * Mutual TLS between the {@link WebUiGate} and Flink's REST endpoint, so that the gate is the only
 * client the endpoint serves. The endpoint listens on 127.0.0.1, but every process of this machine
 * (and a web page that finds its port) could otherwise reach it directly, where nothing refuses a
 * job graph posted with its jars or a cancellation.
 *
 * <p>A key pair and self-signed certificate are made for each run by the JDK's {@code keytool} into
 * a directory only this user can read, under a random password that lives only in this process; the
 * endpoint requires a client certificate signed by that key (Flink's {@code
 * security.ssl.rest.authentication-enabled}), and the gate presents it.
 */
public final class RestTls implements AutoCloseable {
    private static final String ALIAS = "recsys-monitor-rest";

    /** Forward-secret suites that both Flink (Netty on the JDK) and the JDK's client offer. */
    private static final String ALGORITHMS =
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";

    private final Path directory;
    private final Path keystore;
    private final String password;

    private RestTls(Path directory, Path keystore, String password) {
        this.directory = directory;
        this.keystore = keystore;
        this.password = password;
    }

    /** Makes this run's key and certificate; fails with a message naming what went wrong. */
    public static RestTls create() throws IOException {
        Path directory =
                Files.createTempDirectory(
                        "recsys-monitor-rest-tls",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rwx------")));
        Path keystore = directory.resolve("rest.p12");
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(
                List.of(
                        "-genkeypair",
                        "-alias",
                        ALIAS,
                        "-keyalg",
                        "RSA",
                        "-keysize",
                        "2048",
                        "-validity",
                        "3650",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass:env",
                        "RECSYS_REST_TLS_PASSWORD",
                        "-keypass:env",
                        "RECSYS_REST_TLS_PASSWORD"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // Through the environment, not the command line that every local user can list.
        builder.environment().put("RECSYS_REST_TLS_PASSWORD", password);
        Process keytool = builder.start();
        String output;
        try (InputStream in = keytool.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                deleteQuietly(directory);
                throw new IOException(
                        "keytool could not make the web UI's TLS key: " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            deleteQuietly(directory);
            throw new IOException("interrupted while making the web UI's TLS key", e);
        }
        return new RestTls(directory, keystore, password);
    }

    /** Flink's REST endpoint: TLS with client authentication, this run's key and trust. */
    public void configure(Configuration conf) {
        conf.set(SecurityOptions.SSL_REST_ENABLED, true);
        conf.set(SecurityOptions.SSL_REST_AUTHENTICATION_ENABLED, true);
        conf.set(SecurityOptions.SSL_REST_KEYSTORE, keystore.toString());
        conf.set(SecurityOptions.SSL_REST_KEYSTORE_TYPE, "PKCS12");
        conf.set(SecurityOptions.SSL_REST_KEYSTORE_PASSWORD, password);
        conf.set(SecurityOptions.SSL_REST_KEY_PASSWORD, password);
        conf.set(SecurityOptions.SSL_REST_TRUSTSTORE, keystore.toString());
        conf.set(SecurityOptions.SSL_REST_TRUSTSTORE_TYPE, "PKCS12");
        conf.set(SecurityOptions.SSL_REST_TRUSTSTORE_PASSWORD, password);
        conf.set(SecurityOptions.SSL_ALGORITHMS, ALGORITHMS);
    }

    /** The gate's side: presents this run's certificate and trusts only it. */
    public SSLContext clientContext() throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            KeyManagerFactory keys =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password.toCharArray());
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLSv1.2");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("the web UI's TLS key cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        deleteQuietly(directory);
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory: the system cleans it up in the end.
        }
    }
}
