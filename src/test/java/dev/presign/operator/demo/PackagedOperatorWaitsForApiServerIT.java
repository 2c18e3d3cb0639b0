package dev.presign.operator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.it.FreePort;
import dev.presign.operator.it.Links;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica started while the API server is away (a control-plane upgrade, a network partition)
 * waits for it, alive but not ready, instead of exiting into a crash loop (DESIGN §5); once the API
 * server answers it serves links. It needs the jar, so failsafe runs it after the package phase.
 */
class PackagedOperatorWaitsForApiServerIT {

  private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

  /** Longer than the 20 s after which an operator that gave up on its watches used to exit. */
  private static final Duration AWAY = Duration.ofSeconds(30);

  private static final HttpClient PROBE = HttpClient.newHttpClient();

  /** A JVM start on a busy machine. */
  private static final Duration START_BOUND = Duration.ofSeconds(60);

  @TempDir Path directory;

  @Test
  void anOperatorStartedBeforeItsApiServerWaitsAliveButNotReadyAndServesLinksOnceItAnswers()
      throws Exception {
    int port = FreePort.onLoopback();
    Path kubeconfig = directory.resolve("kubeconfig");
    EmbeddedKubernetesApi.writeKubeconfig(kubeconfig, URI.create("http://127.0.0.1:" + port));
    try (OperatorProcess operator =
        OperatorProcess.start(JAR, kubeconfig, directory.resolve("operator.log"))) {
      URI live = operator.readiness().resolve("/q/health/live");
      await().atMost(START_BOUND).until(() -> !operator.isAlive() || answers(live) == 200);
      await()
          .during(AWAY)
          .atMost(AWAY.plusSeconds(10))
          .failFast("the operator exited", () -> !operator.isAlive())
          .untilAsserted(
              () -> {
                assertThat(answers(live)).as("alive").isEqualTo(200);
                assertThat(answers(operator.readiness())).as("not ready").isNotEqualTo(200);
              });

      try (EmbeddedKubernetesApi api = EmbeddedKubernetesApi.start(kubeconfig, port)) {
        await()
            .atMost(START_BOUND)
            .until(() -> answers(operator.readiness()) == 200 || !operator.isAlive());
        assertThat(operator.isAlive()).as("the operator runs").isTrue();
        Links links = new Links(api.client(), "default", URI.create("http://127.0.0.1:1"));
        links.create("late", "bucket", "key", spec -> spec.setVerify(false));
        assertThat(links.awaitUrl("late")).contains("X-Amz-Signature=");
      }
    }
  }

  /** The probe's HTTP status as the kubelet sees it: 0 when it does not answer within a second. */
  private static int answers(URI uri) {
    try {
      return PROBE
          .send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
