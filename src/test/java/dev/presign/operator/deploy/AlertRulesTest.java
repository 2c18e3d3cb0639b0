package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped alerts: the chart's PrometheusRule is the plain file's, and promtool finds the rules
 * valid and firing as meant (src/test/resources/alerts). Without promtool the test is skipped on a
 * developer's machine and fails in CI (CI=true), whose .ci/run installs it.
 */
class AlertRulesTest {

  static final Path RULES = Manifests.DEPLOY.resolve("optional/prometheusrule.yaml");
  private static final Path TESTS = Path.of("src/test/resources/alerts/presign-operator-test.yaml");

  @Test
  void theChartRendersTheRulesOfThePlainFileWithItsDefaultThresholds() {
    GenericKubernetesResource rendered =
        (GenericKubernetesResource)
            Manifests.ofKind(
                    Manifests.renderChart(t -> t.set("metrics.prometheusRule.enabled", "true")),
                    "PrometheusRule")
                .orElseThrow();

    assertThat(rendered.getAdditionalProperties().get("spec"))
        .isEqualTo(plainFile().getAdditionalProperties().get("spec"));
  }

  @Test
  void promtoolFindsTheRulesValidAndEachAlertFiresAsMeant() throws Exception {
    Optional<Path> promtool = promtool();
    if (promtool.isEmpty()) {
      assertThat(System.getenv("CI"))
          .as("promtool is missing; CI must install it (.ci/run: apt-get install prometheus)")
          .isNull();
      assumeTrue(false, "promtool not found on PATH: alert tests skipped (apt install prometheus)");
    }
    Path dir = Files.createTempDirectory("alerts");
    Files.writeString(
        dir.resolve("rules.yaml"),
        Serialization.asYaml(plainFile().getAdditionalProperties().get("spec")));
    Files.copy(TESTS, dir.resolve("tests.yaml"));

    run(dir, promtool.get().toString(), "check", "rules", "rules.yaml");
    run(dir, promtool.get().toString(), "test", "rules", "tests.yaml");
  }

  private static GenericKubernetesResource plainFile() {
    return (GenericKubernetesResource) Manifests.parseFile(RULES).get(0);
  }

  private static Optional<Path> promtool() {
    return Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .map(dir -> Path.of(dir, "promtool"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static void run(Path dir, String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    boolean ended = process.waitFor(60, TimeUnit.SECONDS);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ended).as(String.join(" ", command) + " within 60 s").isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
  }
}
