package dev.presign.operator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.deploy.OperatorPermissions.Permission;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the operator through everything it does to the cluster - issue, rotate, restart workloads,
 * rename the Secret, refuse a Secret it does not own - records every request it makes to the mock
 * API server, and checks them against {@link OperatorPermissions}, the table the RBAC manifests
 * are tested against.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = MockApiServer.class)
class OperatorRequestsIT {

  private static final String NAMESPACE = "rbac";
  private static final Pattern RESOURCE_PATH =
      Pattern.compile(
          "^/(?:api/v1|apis/(?<group>[^/]+)/[^/]+)(?:/namespaces/[^/]+)?"
              + "/(?<resource>[^/?]+)(?:/(?<name>[^/?]+)(?:/(?<subresource>[^/?]+))?)?(?:\\?.*)?$");

  @KubernetesTestServer KubernetesServer server;

  @Test
  void operatorAsksForNothingTheRbacTableDoesNotGrantAndTheTableHoldsNothingUnused()
      throws InterruptedException {
    KubernetesClient client = MockApiServer.testClient(server);
    client.resource(MockApiServer.keys(NAMESPACE)).create();
    client.resource(new DeploymentBuilder().withNewMetadata().withNamespace(NAMESPACE)
        .withName("mailer").endMetadata().withNewSpec().endSpec().build()).create();
    client.resource(new StatefulSetBuilder().withNewMetadata().withNamespace(NAMESPACE)
        .withName("indexer").endMetadata().withNewSpec().endSpec().build()).create();
    client.resource(new DaemonSetBuilder().withNewMetadata().withNamespace(NAMESPACE)
        .withName("agent").endMetadata().withNewSpec().endSpec().build()).create();
    String restartTargets =
        """
        restartTargets:
          - {kind: Deployment, name: mailer}
          - {kind: StatefulSet, name: indexer}
          - {kind: DaemonSet, name: agent}
        """;
    client.resource(MockApiServer.link(NAMESPACE, "export",
        "key: export-v1.csv\nsecretTemplate: {name: export-v1}\n" + restartTargets)).create();
    awaitSecret(client, "export-v1");

    // A new generation rotates the URL into the same Secret and restarts the targets...
    String firstUrl = awaitSecret(client, "export-v1").getData().get("url");
    editSpec(client, "{\"key\":\"export-v2.csv\"}");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(client.secrets().inNamespace(NAMESPACE).withName("export-v1").get().getData())
            .doesNotContainEntry("url", firstUrl));
    // ...and a renamed Secret is created anew and the old one deleted.
    editSpec(client, "{\"secretTemplate\":{\"name\":\"export-v2\"}}");
    awaitSecret(client, "export-v2");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(client.secrets().inNamespace(NAMESPACE).withName("export-v1").get()).isNull();
      assertThat(client.apps().deployments().inNamespace(NAMESPACE).withName("mailer").get()
          .getSpec().getTemplate().getMetadata().getAnnotations())
          .containsKey("presign.dev/restartedAt");
    });

    // A Secret someone else owns: the operator reports the conflict in status and an event.
    client.resource(new SecretBuilder().withNewMetadata().withNamespace(NAMESPACE)
        .withName("taken").endMetadata().build()).create();
    client.resource(MockApiServer.link(NAMESPACE, "conflicted",
        "key: other.csv\nsecretTemplate: {name: taken}\n")).create();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(client.resources(PresignedObjectLink.class).inNamespace(NAMESPACE)
            .withName("conflicted").get().getStatus())
            .isNotNull()
            .satisfies(status -> assertThat(status.getConditions())
                .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("SecretConflict"))));

    Set<Permission> used = permissionsUsedByTheOperator();
    assertThat(OperatorPermissions.REQUIRED).containsAll(used);
    Set<Permission> expectedInUse = new TreeSet<>(OperatorPermissions.REQUIRED);
    expectedInUse.removeAll(OperatorPermissions.NOT_YET_USED);
    assertThat(used).containsAll(expectedInUse);
  }

  /** A merge patch, which needs no resourceVersion and so never conflicts with the operator. */
  private static void editSpec(KubernetesClient client, String spec) {
    client.resources(PresignedObjectLink.class).inNamespace(NAMESPACE).withName("export")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + spec + "}");
  }

  private static Secret awaitSecret(KubernetesClient client, String name) {
    return await().atMost(Duration.ofSeconds(20))
        .until(() -> client.secrets().inNamespace(NAMESPACE).withName(name).get(),
            secret -> secret != null);
  }

  /** Every request since the mock server started that the test code did not make. */
  private Set<Permission> permissionsUsedByTheOperator() throws InterruptedException {
    Set<Permission> used = new TreeSet<>();
    RecordedRequest request;
    while ((request = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS))
        != null) {
      if (MockApiServer.TEST_USER_AGENT.equals(request.getHeader("User-Agent"))) {
        continue;
      }
      used.add(permission(request));
    }
    return used;
  }

  private static Permission permission(RecordedRequest request) {
    Matcher path = RESOURCE_PATH.matcher(request.getPath());
    assertThat(path.matches()).as("a resource request: " + request.getRequestLine()).isTrue();
    String group = path.group("group") == null ? "" : path.group("group");
    String resource =
        path.group("subresource") == null
            ? path.group("resource")
            : path.group("resource") + "/" + path.group("subresource");
    boolean named = path.group("name") != null;
    String verb =
        switch (request.getMethod()) {
          case "GET" -> named ? "get" : request.getPath().contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> request.getMethod();
        };
    return new Permission(group, resource, verb);
  }
}
