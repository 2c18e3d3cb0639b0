package dev.presign.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's policy for its own identity (R7), with the real operator on the mock API server
 * and S3Proxy: denied links get no URL, and a policy or label change takes a URL away again.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstallCrd.class)
@WithTestResource(S3ProxyResource.class)
@WithTestResource(PolicyFileResource.class)
class PolicyIT {

  private static final byte[] REPORT = "team report\n".getBytes(StandardCharsets.UTF_8);

  @Inject KubernetesClient client;

  @AfterEach
  void restorePolicy() {
    PolicyFileResource.write(PolicyFileResource.INITIAL);
  }

  private Links links(String namespace) {
    return new Links(client, namespace, S3ProxyResource.server().endpoint());
  }

  private static void withReport(String bucket, String key) {
    S3ProxyResource.server().createBucket(bucket);
    S3ProxyResource.server().putObject(bucket, key, REPORT);
  }

  @Test
  void aLinkOutsideThePolicyGetsNotPermittedAndNoUrlWhileAPermittedOneWorks() {
    withReport("shared-reports", "team-a/q3.csv");
    Links teamA = links("team-a");

    teamA.create("own-prefix", "shared-reports", "team-a/q3.csv", spec -> {});
    teamA.create("other-prefix", "shared-reports", "team-b/q3.csv", spec -> {});
    teamA.create(
        "upload", "shared-reports", "team-a/in.csv", spec -> spec.setMethod(HttpMethod.PUT));
    teamA.create("too-long", "shared-reports", "team-a/q3.csv", spec -> spec.setExpiresIn("3h"));

    assertThat(Http.get(teamA.awaitUrl("own-prefix")).body()).isEqualTo(REPORT);
    Condition otherPrefix = teamA.awaitReason("other-prefix", "NotPermitted");
    assertThat(otherPrefix.getStatus()).isEqualTo("False");
    assertThat(otherPrefix.getMessage())
        .contains("key team-b/q3.csv starts with none of [team-a/]");
    assertThat(teamA.awaitReason("upload", "NotPermitted").getMessage())
        .contains("method PUT is not one of [GET]");
    assertThat(teamA.awaitReason("too-long", "NotPermitted").getMessage())
        .contains("expiresIn 3h is longer than 2h");
    assertThat(List.of("other-prefix", "upload", "too-long"))
        .allSatisfy(name -> assertThat(teamA.secret(name)).as(name).isNull());
    // Events are sent in the background (LinkEvents).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("team-a"))
                    .filteredOn(event -> "NotPermitted".equals(event.getReason()))
                    .allSatisfy(event -> assertThat(event.getType()).isEqualTo("Warning"))
                    .extracting(event -> event.getInvolvedObject().getName())
                    .contains("other-prefix", "upload", "too-long"));
  }

  @Test
  void aPolicyChangeTakesTheUrlOutOfTheSecretAndAnotherGivesANewOne() {
    withReport("shared-changes", "team-r/q3.csv");
    Links teamR = links("team-r");
    Links teamA = links("team-a");
    teamR.create("report", "shared-changes", "team-r/q3.csv", spec -> {});
    teamA.create("steady", "shared-changes", "team-a/q3.csv", spec -> {});
    teamR.awaitUrl("report");
    teamA.awaitUrl("steady");
    String steadyVersion = teamA.secret("steady").getMetadata().getResourceVersion();

    PolicyFileResource.write(PolicyFileResource.INITIAL.replace("team-*", "team-a"));

    Condition withdrawn = teamR.awaitReason("report", "NotPermitted");
    assertThat(withdrawn.getStatus())
        .as("not Ready, though the old URL has not expired")
        .isEqualTo("False");
    assertThat(withdrawn.getMessage())
        .contains("no rule of the operator's policy covers namespace team-r");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(teamR.secret("report").getData()).doesNotContainKey("url"));
    Secret kept = teamR.secret("report");
    assertThat(kept.getData()).doesNotContainKeys("expiresAt", "method");
    assertThat(kept.getMetadata().getOwnerReferences()).isNotEmpty();
    assertThat(teamR.get("report").getStatus().getExpiresAt()).isNull();
    assertThat(teamA.secret("steady").getMetadata().getResourceVersion())
        .as("a link the new policy still permits is not re-signed")
        .isEqualTo(steadyVersion);

    PolicyFileResource.write(PolicyFileResource.INITIAL);

    assertThat(Http.get(teamR.awaitUrl("report")).body()).isEqualTo(REPORT);
  }

  @Test
  void aNamespaceLosingTheSelectedLabelLosesItsUrl() {
    withReport("shared-labelled", "any/q3.csv");
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("labelled")
                .addToLabels("presign.dev/links", "allowed")
                .endMetadata()
                .build())
        .create();
    Links labelled = links("labelled");
    labelled.create("report", "shared-labelled", "any/q3.csv", spec -> {});
    assertThat(Http.get(labelled.awaitUrl("report")).body()).isEqualTo(REPORT);

    client
        .namespaces()
        .withName("labelled")
        .edit(
            namespace -> {
              namespace.getMetadata().getLabels().remove("presign.dev/links");
              return namespace;
            });

    labelled.awaitReason("report", "NotPermitted");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(labelled.secret("report").getData()).doesNotContainKey("url"));
  }

  private List<Event> events(String namespace) {
    return client.v1().events().inNamespace(namespace).list().getItems();
  }
}
