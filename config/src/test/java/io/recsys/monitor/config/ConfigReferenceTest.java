package io.recsys.monitor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    @Test
    void docsListEveryKeyAsTheCodeDefinesIt() throws IOException {
        Path doc = Paths.get("..", "docs", "configuration.md");
        String text = new String(Files.readAllBytes(doc), StandardCharsets.UTF_8);
        assertThat(text)
                .as("docs/configuration.md is stale: regenerate its table with ConfigReference")
                .contains(ConfigReference.markdownTable());
    }
}
