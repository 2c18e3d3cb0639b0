package dev.presign.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Argo CD health check a user copies from the README is the one the tests run. */
class HealthCheckDocsTest {

  @Test
  void readmeShowsTheChartsArgoCdHealthCheck() throws IOException {
    String script = HealthRules.healthCheckScript();

    assertThat(script).contains("hs.status = \"Degraded\"");
    assertThat(Files.readString(Path.of("README.md"))).contains("```lua\n" + script + "```");
  }
}
