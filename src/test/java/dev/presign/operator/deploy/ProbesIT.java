package dev.presign.operator.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The probes of the Deployments in deploy/ and the chart point at endpoints that answer UP. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MockApiServer.class)
class ProbesIT {

  @ParameterizedTest
  @MethodSource("probePaths")
  void probeAnswersUp(String path) {
    given().get(path).then().statusCode(200).body("status", equalTo("UP"));
  }

  static Stream<String> probePaths() {
    return Stream.of(
            Manifests.parseFile(Manifests.DEPLOY.resolve("40-deployment.yaml")),
            Manifests.renderChart())
        .map(ProbesIT::operator)
        .flatMap(c -> Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()))
        .map(probe -> probe.getHttpGet().getPath())
        .distinct();
  }

  private static Container operator(List<HasMetadata> objects) {
    return Manifests.only(objects, Deployment.class)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }
}
