package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import dev.presign.operator.realapi.RealApiServer;
import dev.presign.operator.realapi.RealApiServerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged plugin, target/kubectl-presign, as a process with only java on the PATH, against a
 * real kube-apiserver and the operator running on it: the first run makes its class-data archive
 * and both runs print the same; the URL of url is the Secret's; completion lists the links.
 */
@QuarkusTest
@WithTestResource(RealApiServerResource.class)
@WithTestResource(S3ProxyResource.class)
class PackagedKubectlPresignIT {

  @Test
  void thePackagedPluginShowsALinkAndPrintsItsUrl() throws IOException {
    S3ProxyServer s3 = S3ProxyResource.server();
    s3.createBucket("packaged-reports");
    s3.putObject("packaged-reports", "daily.csv", "1,42\n".getBytes(StandardCharsets.UTF_8));
    RealApiServer api = RealApiServerResource.server();
    api.createNamespace("team-packaged");
    Links links = new Links(api.client(), "team-packaged", s3.endpoint());
    links.create("daily", "packaged-reports", "daily.csv", spec -> spec.setExpiresIn("1h"));
    String url = links.awaitUrl("daily");
    // The operator sends its events in the background: both runs below must show the same one.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                api.client().v1().events().inNamespace("team-packaged").list().getItems().stream()
                    .anyMatch(event -> "Issued".equals(event.getReason())));
    Path kubeconfig = api.writeKubeconfig(Files.createTempFile("admin", ".kubeconfig"));
    Path cache = Files.createTempDirectory("kubectl-presign-cache");
    String java = Path.of(System.getProperty("java.home"), "bin").toString();
    Map<String, String> env =
        Map.of(
            "KUBECONFIG", kubeconfig.toString(),
            "XDG_CACHE_HOME", cache.toString(),
            "PATH", java + ":/usr/bin:/bin");

    CliRun first = Executable.run(Executable.PLUGIN, env, "status", "daily", "-n", "team-packaged");
    CliRun second =
        Executable.run(Executable.PLUGIN, env, "status", "daily", "-n", "team-packaged");

    assertThat(first.status()).as(first.toString()).isZero();
    assertThat(first.out())
        .contains("Link:            team-packaged/daily\n")
        .contains("Ready:           True (Issued)\n");
    assertThat(first.err()).as("no JVM or class-data messages").isEmpty();
    try (var archives = Files.list(cache.resolve("kubectl-presign"))) {
      assertThat(archives).as("the first run made the class-data archive").hasSize(1);
    }
    assertThat(second.status()).as(second.toString()).isZero();
    assertThat(withoutDurations(second.out())).isEqualTo(withoutDurations(first.out()));

    CliRun printed = Executable.run(Executable.PLUGIN, env, "url", "daily", "-n", "team-packaged");
    assertThat(printed.status()).as(printed.toString()).isZero();
    assertThat(printed.out()).isEqualTo(url + "\n");

    CliRun completed =
        Executable.run(Executable.COMPLETION, env, "status", "-n", "team-packaged", "");
    assertThat(completed.out()).isEqualTo("daily\n:4\n");

    CliRun wrong = Executable.run(Executable.PLUGIN, env, "status", "--output", "xml");
    assertThat(wrong.status()).isEqualTo(ExitCode.USAGE);
    assertThat(wrong.err()).startsWith("error: Invalid value for option '--output'");
  }

  /**
   * Ages and durations move on between two runs (in 39m, then in 38m59s), and the columns widen
   * with them.
   */
  private static String withoutDurations(String out) {
    return out.replaceAll("\\b\\d+[hms](\\d+[hms])*\\b", "D").replaceAll(" +", " ");
  }
}
