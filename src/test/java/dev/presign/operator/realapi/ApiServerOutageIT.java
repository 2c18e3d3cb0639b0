package dev.presign.operator.realapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLinkStatus;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away for 30 s and comes back on the same etcd and port, as after a control
 * plane restart, while links with one-minute URLs come due: the operator keeps running and stays
 * live, its watches resume, and every link due in the meantime is rotated within seconds of the
 * return.
 */
@QuarkusTest
@WithTestResource(RealApiServerResource.class)
@WithTestResource(S3ProxyResource.class)
class ApiServerOutageIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  /**
   * From the API server's return to the rotation of every overdue link; generous, machines vary.
   */
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private static final List<String> NAMES =
      IntStream.rangeClosed(1, 4).mapToObj(i -> "link-" + i).toList();

  @Test
  void linksDueWhileTheApiServerIsAwayAreRotatedSoonAfterItReturns() {
    RealApiServer api = RealApiServerResource.server();
    S3ProxyServer s3 = S3ProxyResource.server();
    s3.createBucket("outage");
    s3.putObject("outage", "report.csv", REPORT);
    api.createNamespace("outage");
    Links links = new Links(api.client(), "outage", s3.endpoint());
    // One-minute URLs renewed 50 s before expiry: each link comes due every 10 s or so.
    for (String name : NAMES) {
      links.create(
          name,
          "outage",
          "report.csv",
          spec -> {
            spec.setExpiresIn("1m");
            spec.setRenewBefore("50s");
          });
    }
    Map<String, Long> rotationsBefore = new HashMap<>();
    for (String name : NAMES) {
      links.awaitUrl(name);
      rotationsBefore.put(name, status(links, name).getRotations());
    }

    api.stopApiServer();
    Instant stopped = Instant.now();
    try {
      // Throughout the outage the operator runs, and its liveness stays UP: its watches retry.
      await()
          .during(OUTAGE)
          .atMost(OUTAGE.plusSeconds(10))
          .until(() -> given().get("/q/health/live").statusCode() == 200);
    } finally {
      api.restartApiServer();
    }
    Instant back = Instant.now();
    assertThat(NAMES)
        .as("every link was due while the API server was away")
        .allSatisfy(
            name -> assertThat(Instant.parse(status(links, name).getRenewalTime())).isBefore(back));

    await()
        .atMost(CATCH_UP)
        .untilAsserted(
            () ->
                assertThat(NAMES)
                    .allSatisfy(
                        name -> {
                          PresignedObjectLinkStatus status = status(links, name);
                          assertThat(status.getRotations())
                              .as("%s rotated", name)
                              .isGreaterThan(rotationsBefore.get(name));
                          assertThat(Instant.parse(status.getIssuedAt()))
                              .as("%s issued after the return", name)
                              .isAfterOrEqualTo(back.minusSeconds(1));
                          assertThat(links.ready(name))
                              .hasValueSatisfying(
                                  ready -> assertThat(ready.getStatus()).isEqualTo("True"));
                        }));
    System.out.printf(
        "API server away %d ms; every overdue link rotated %d ms after its return%n",
        Duration.between(stopped, back).toMillis(),
        Duration.between(back, Instant.now()).toMillis());

    for (String name : NAMES) {
      assertThat(Http.get(links.currentUrl(name)).body()).isEqualTo(REPORT);
    }
    given().get("/q/health/live").then().statusCode(200);
  }

  private static PresignedObjectLinkStatus status(Links links, String name) {
    return links.get(name).getStatus();
  }
}
