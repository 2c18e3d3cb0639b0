package dev.presign.operator.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A link watch that stops for good fails the liveness probe, so that Kubernetes restarts the pod
 * (DESIGN §5). Nothing in a link's spec or status can stop it any more (MalformedLinksIT); an
 * object whose metadata the client cannot read, which a real API server never holds, still does.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = WatchLivenessIT.Crd.class)
@WithTestResource(S3ProxyResource.class)
class WatchLivenessIT {

  @KubernetesTestServer KubernetesServer server;

  /** The CRD, as in InstallCrd; a class of its own, so that no other test shares this operator. */
  public static class Crd implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      InstallCrd.into(server.getClient());
    }
  }

  @Test
  void livenessGoesDownWhenAWatchStopsForGood() {
    given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

    server
        .getClient()
        .raw(
            "/api/v1/namespaces/broken/secrets",
            "POST",
            """
            {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": "unreadable", "namespace": "broken",
                          "labels": {"app.kubernetes.io/managed-by": "presign-operator"}},
             "data": "not a map"}
            """);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                given()
                    .get("/q/health/live")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN")));
  }
}
