package io.recsys.monitor.job.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.monitor.config.MonitorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPathCheckTest {

    @TempDir Path dir;

    @Test
    void aMissingInputIsNamedWithItsOption() {
        Path missing = dir.resolve("nope.jsonl");
        assertThatThrownBy(() -> LocalPathCheck.input(missing.toString()))
                .isInstanceOf(UserError.class)
                .hasMessage("input " + missing + " (--input, source.input) does not exist");
    }

    @Test
    void anInputFileOrDirectoryThatCanBeReadPasses() throws Exception {
        Path file = Files.writeString(dir.resolve("events.jsonl"), "{}\n");
        assertThatCode(() -> LocalPathCheck.input(file.toString())).doesNotThrowAnyException();
        assertThatCode(() -> LocalPathCheck.input(dir.toString())).doesNotThrowAnyException();
        assertThatCode(() -> LocalPathCheck.input(file.toUri().toString()))
                .doesNotThrowAnyException();
        // Only the cluster reaches another file system.
        assertThatCode(() -> LocalPathCheck.input("s3://bucket/events/"))
                .doesNotThrowAnyException();
    }

    @Test
    void anInputThatIsNeitherFileNorDirectoryOrCannotBeReadIsRefused() {
        // /proc/self/mem opens but refuses to read at offset 0, even for root.
        assertThatThrownBy(() -> LocalPathCheck.input("/proc/self/mem"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("input /proc/self/mem (--input, source.input) ");
    }

    @Test
    void anOutputPathThatIsAFileIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("out"), "");
        assertThatThrownBy(() -> LocalPathCheck.outputDirectory(file.toString()))
                .isInstanceOf(UserError.class)
                .hasMessage(
                        "output directory "
                                + file
                                + " (--output, output.dir) is a file, not a"
                                + " directory");
    }

    @Test
    void aMissingOutputDirectoryIsMadeAndLeftEmpty() throws Exception {
        Path out = dir.resolve("a/b/out");
        LocalPathCheck.outputDirectory(out.toString());
        assertThat(out).isEmptyDirectory();
    }

    @Test
    void anOutputDirectoryThatCannotBeMadeIsRefused() {
        assertThatThrownBy(() -> LocalPathCheck.outputDirectory("/proc/recsys-monitor-out"))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(
                        "output directory /proc/recsys-monitor-out (--output, output.dir) cannot"
                                + " be created: ");
    }

    @Test
    void aReferenceFileIsParsedAsTheJobWouldParseIt() throws Exception {
        Path bad = Files.writeString(dir.resolve("reference.json"), "{\"format\": \"other\"}");
        assertThatThrownBy(() -> LocalPathCheck.reference(bad.toString()))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith(
                        "reference "
                                + bad
                                + " (--reference, drift.reference) is not a valid reference"
                                + " profile: $.format must be");
        Path notJson = Files.writeString(dir.resolve("broken.json"), "{");
        assertThatThrownBy(() -> LocalPathCheck.reference(notJson.toString()))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("is not valid JSON");
    }

    @Test
    void aReferenceDirectoryMustExistAndMayStartEmpty() throws Exception {
        Path missing = dir.resolve("profiles");
        assertThatThrownBy(() -> LocalPathCheck.reference(missing.toString()))
                .isInstanceOf(UserError.class)
                .hasMessage(
                        "reference " + missing + " (--reference, drift.reference) does not exist");
        Files.createDirectories(missing);
        assertThatCode(() -> LocalPathCheck.reference(missing.toString()))
                .doesNotThrowAnyException();
        Files.writeString(missing.resolve("v2.json"), "[]");
        assertThatThrownBy(() -> LocalPathCheck.reference(missing.toString()))
                .isInstanceOf(UserError.class)
                .hasMessageStartingWith("reference file " + missing.resolve("v2.json"));
    }

    @Test
    void theChecksFollowTheConfiguration() {
        Path missing = dir.resolve("missing.jsonl");
        MonitorConfig file =
                MonitorConfig.of(
                        Map.of(
                                "source.type", "file",
                                "source.input", missing.toString(),
                                "output.dir", dir.resolve("out").toString()));
        assertThatThrownBy(() -> LocalPathCheck.check(file)).isInstanceOf(UserError.class);
        MonitorConfig generator =
                MonitorConfig.of(
                        Map.of(
                                "source.input", missing.toString(),
                                "output.dir", dir.resolve("out").toString()));
        assertThatCode(() -> LocalPathCheck.check(generator)).doesNotThrowAnyException();
    }
}
