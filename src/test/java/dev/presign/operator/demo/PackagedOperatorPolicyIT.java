package dev.presign.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as it ships refuses to start with a policy file it does not understand, and says
 * where the mistake is. It needs the jar, so failsafe runs it after the package phase.
 */
class PackagedOperatorPolicyIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  @TempDir Path directory;

  @Test
  void aMalformedPolicyFileStopsTheOperatorNamingTheLine() throws Exception {
    Path policy = directory.resolve("policy.yaml");
    Files.writeString(
        policy, "rules:\n  - namespaces: [team-a]\n    buckets: [reports]\n    method: [GET]\n");

    try (EmbeddedKubernetesApi api = EmbeddedKubernetesApi.start(directory.resolve("kubeconfig"));
        OperatorProcess operator =
            OperatorProcess.start(
                JAR,
                directory.resolve("kubeconfig"),
                directory.resolve("operator.log"),
                Map.of("PRESIGN_POLICY_FILE", policy.toString()))) {

      assertThat(operator.exited(Duration.ofSeconds(60))).as("the operator stopped").isTrue();
      assertThat(operator.exitValue()).isNotZero();
      assertThat(Files.readString(operator.log()))
          .contains("policy file " + policy + ", line 4: unknown field `method`");
    }
  }
}
