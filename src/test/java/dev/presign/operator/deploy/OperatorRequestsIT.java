package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.deploy.OperatorPermissions.Permission;
import dev.presign.operator.it.StsStandInResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs the operator through everything it does to the cluster - issue, rotate, restart workloads,
 * rename the Secret, refuse a Secret it does not own, sign as a ServiceAccount - records every
 * request it makes to the mock API server, and checks them against {@link OperatorPermissions}, the
 * table the RBAC manifests are tested against. Whether those manifests suffice is decided by a real
 * API server (realapi/OperatorRbacIT, ChartWatchNamespacesIT); what stays here is the other half,
 * that the table grants nothing the operator never asks for, which only a record of every request
 * shows.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MockApiServer.class)
@WithTestResource(StsStandInResource.class)
class OperatorRequestsIT {

  private static final String NAMESPACE = "rbac";

  @KubernetesTestServer KubernetesServer server;

  @Test
  void operatorAsksForNothingTheRbacTableDoesNotGrantAndTheTableHoldsNothingUnused() {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys(NAMESPACE)).create();
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName("mailer")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName("indexer")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName("agent")
                .endMetadata()
                .withNewSpec()
                .endSpec()
                .build())
        .create();
    String restartTargets =
        """
        restartTargets:
          - {kind: Deployment, name: mailer}
          - {kind: StatefulSet, name: indexer}
          - {kind: DaemonSet, name: agent}
        """;
    client
        .resource(
            MockApiServer.link(
                NAMESPACE,
                "export",
                "key: export-v1.csv\nsecretTemplate: {name: export-v1}\n" + restartTargets))
        .create();
    awaitSecret(client, "export-v1");

    // A new generation rotates the URL into the same Secret and restarts the targets...
    String firstUrl = awaitSecret(client, "export-v1").getData().get("url");
    editSpec(client, "{\"key\":\"export-v2.csv\"}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .secrets()
                            .inNamespace(NAMESPACE)
                            .withName("export-v1")
                            .get()
                            .getData())
                    .doesNotContainEntry("url", firstUrl));
    // ...and a renamed Secret is created anew and the old one deleted.
    editSpec(client, "{\"secretTemplate\":{\"name\":\"export-v2\"}}");
    awaitSecret(client, "export-v2");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(client.secrets().inNamespace(NAMESPACE).withName("export-v1").get())
                  .isNull();
              assertThat(
                      client
                          .apps()
                          .deployments()
                          .inNamespace(NAMESPACE)
                          .withName("mailer")
                          .get()
                          .getSpec()
                          .getTemplate()
                          .getMetadata()
                          .getAnnotations())
                  .containsKey("presign.dev/restartedAt");
            });

    // A Secret someone else owns: the operator reports the conflict in status and an event.
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName("taken")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            MockApiServer.link(
                NAMESPACE, "conflicted", "key: other.csv\nsecretTemplate: {name: taken}\n"))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(PresignedObjectLink.class)
                            .inNamespace(NAMESPACE)
                            .withName("conflicted")
                            .get()
                            .getStatus())
                    .isNotNull()
                    .satisfies(
                        status ->
                            assertThat(status.getConditions())
                                .anySatisfy(
                                    c -> assertThat(c.getReason()).isEqualTo("SecretConflict"))));

    // A link signed as a ServiceAccount's role: its annotation, then a token for STS.
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withNamespace(NAMESPACE)
                .withName("reader")
                .addToAnnotations(
                    "eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/reader")
                .endMetadata()
                .build())
        .create();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/serviceaccounts/reader/token")
        .andReturn(
            201, new TokenRequestBuilder().withNewStatus().withToken("a.b.c").endStatus().build())
        .always();
    PresignedObjectLink asReader = MockApiServer.link(NAMESPACE, "as-reader", "key: tenant.csv\n");
    LinkCredentials reader = new LinkCredentials();
    reader.setServiceAccountName("reader");
    asReader.getSpec().setCredentials(reader);
    client.resource(asReader).create();
    awaitSecret(client, "as-reader");

    Set<Permission> used = OperatorRequests.permissionsUsed(server.getKubernetesMockServer());
    assertThat(used).isEqualTo(OperatorPermissions.REQUIRED);
  }

  /** A merge patch, which needs no resourceVersion and so never conflicts with the operator. */
  private static void editSpec(KubernetesClient client, String spec) {
    client
        .resources(PresignedObjectLink.class)
        .inNamespace(NAMESPACE)
        .withName("export")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + spec + "}");
  }

  private static Secret awaitSecret(KubernetesClient client, String name) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.secrets().inNamespace(NAMESPACE).withName(name).get(),
            secret -> secret != null);
  }
}
