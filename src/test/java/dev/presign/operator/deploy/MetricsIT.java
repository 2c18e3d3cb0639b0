package dev.presign.operator.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes at /q/metrics once a link has been issued (DESIGN §5). */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MockApiServer.class)
class MetricsIT {

  private static final String NAMESPACE = "metrics";

  @KubernetesTestServer KubernetesServer server;

  @Test
  void scrapeShowsTheLinksExpiryAndRenewalRotationsAndSigningTime() {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys(NAMESPACE)).create();
    client
        .resource(MockApiServer.link(NAMESPACE, "weekly", "key: weekly.pdf\nexpiresIn: 2h\n"))
        .create();

    PresignedObjectLink issued =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                        .resources(PresignedObjectLink.class)
                        .inNamespace(NAMESPACE)
                        .withName("weekly")
                        .get(),
                link -> link.getStatus() != null && link.getStatus().getExpiresAt() != null);

    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    String link = "{name=\"weekly\",namespace=\"" + NAMESPACE + "\"}";
    assertThat(sample(metrics, "presign_link_expiry_timestamp_seconds" + link))
        .isEqualTo(Instant.parse(issued.getStatus().getExpiresAt()).getEpochSecond());
    assertThat(sample(metrics, "presign_link_renewal_timestamp_seconds" + link))
        .isEqualTo(Instant.parse(issued.getStatus().getRenewalTime()).getEpochSecond());
    assertThat(sample(metrics, "presign_rotations_total{result=\"Issued\"}")).isPositive();
    assertThat(sample(metrics, "presign_signing_seconds_count")).isPositive();
    assertThat(metrics).contains("operator_sdk_reconciliations_started_total");
    // The URL is a bearer credential: never in a metric (R6).
    assertThat(metrics).doesNotContain("X-Amz-Signature").doesNotContain("weekly.pdf");
  }

  private static double sample(String metrics, String series) {
    Matcher value =
        Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
            .matcher(metrics);
    assertThat(value.find()).as(series + " in\n" + metrics).isTrue();
    return Double.parseDouble(value.group(1));
  }
}
