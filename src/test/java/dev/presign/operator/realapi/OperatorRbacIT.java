package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.deploy.Manifests;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.PolicyFileResource;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as deploy/ installs it, on a real API server that decides every request: it runs as
 * the ServiceAccount presign-system/presign-operator with a token from the TokenRequest API, bound
 * by exactly deploy/'s ClusterRole, ClusterRoleBinding and leader election Role (and the optional
 * namespace-labels ClusterRole), with leader election on. The server enforces owner-reference
 * permissions (OwnerReferencesPermissionEnforcement, as OpenShift does), so every Secret the
 * operator creates with a controller ownerReference is checked against the finalizers rule of the
 * ClusterRole. S3Proxy checks each URL.
 *
 * <p>This replaces the mock's emulation (deploy/OperatorRequestsIT and PolicyRequestsIT compared
 * recorded requests with a permission table): here the cluster itself says yes or no.
 */
@QuarkusTest
@TestProfile(OperatorRbacIT.AsDeployed.class)
@WithTestResource(
    value = RealApiServerResource.class,
    initArgs = {
      @ResourceArg(
          name = RealApiServerResource.SETUP,
          value = "dev.presign.operator.realapi.DeployedRbac"),
      @ResourceArg(
          name = RealApiServerResource.OPERATOR_SERVICE_ACCOUNT,
          value = DeployedRbac.OPERATOR),
      @ResourceArg(
          name = RealApiServerResource.API_SERVER_FLAGS,
          value = "--enable-admission-plugins=OwnerReferencesPermissionEnforcement")
    })
@WithTestResource(S3ProxyResource.class)
@WithTestResource(PolicyFileResource.class)
class OperatorRbacIT {

  private static final byte[] REPORT = "id,total\n1,42\n".getBytes(StandardCharsets.UTF_8);

  /** Leader election as the chart turns it on; it is on in the prod profile only by default. */
  public static class AsDeployed implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
          "presign.leader-election.enabled", "true",
          "presign.leader-election.lease-namespace", DeployedRbac.OPERATOR_NAMESPACE);
    }
  }

  private final RealApiServer api = RealApiServerResource.server();
  private final KubernetesClient admin = api.client();
  private final S3ProxyServer s3 = S3ProxyResource.server();

  @AfterEach
  void restorePolicy() {
    PolicyFileResource.write(PolicyFileResource.INITIAL);
  }

  private Links links(String namespace) {
    api.createNamespace(namespace);
    return new Links(admin, namespace, s3.endpoint());
  }

  private void report(String bucket, String key) {
    if (!s3.client().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket))) {
      s3.createBucket(bucket);
    }
    s3.putObject(bucket, key, REPORT);
  }

  @Test
  void theDeployedServiceAccountIssuesVerifiesRotatesRestoresAndRestarts() {
    String namespace = "team-rbac";
    report("shared-rbac", "team-rbac/report.csv");
    Links links = links(namespace);
    admin.resource(Workloads.deployment(namespace, "mailer", "report")).create();
    admin.resource(Workloads.deployment(namespace, "env-reader", "report")).create();

    links.create(
        "report",
        "shared-rbac",
        "team-rbac/report.csv",
        spec -> spec.setRestartTargets(List.of(target("mailer"))));
    String first = links.awaitUrl("report");

    assertThat(Http.get(first).body()).as("the URL works").isEqualTo(REPORT);
    // Verification (R11), and the reader report (R9): the env var reader is not a restart target.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(links.condition("report", "Verified"))
                  .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
              assertThat(links.ready("report").map(Condition::getMessage).orElse(""))
                  .contains("Deployment/env-reader reads Secret report through env var URL")
                  .doesNotContain("Deployment/mailer");
            });
    // The Lease of deploy/'s leader election Role.
    assertThat(
            admin
                .leases()
                .inNamespace(DeployedRbac.OPERATOR_NAMESPACE)
                .withName("presign-operator-lease")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isNotBlank();

    // A rotation on request: a new URL, and the restart target rolled.
    links.annotate("report", "presign.dev/rotate-requested-at", "rbac-1");
    String second = links.awaitNextUrl("report", first, Duration.ofSeconds(30));
    assertThat(Http.get(second).body()).isEqualTo(REPORT);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Workloads.restartedAt(admin, namespace, "mailer").isPresent());

    // A Secret emptied by hand is restored.
    links.editSecret(
        "report",
        secret -> {
          secret.getData().remove("url");
          return secret;
        });
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(Http.get(links.currentUrl("report")).body()).isEqualTo(REPORT));
  }

  @Test
  void thePolicyWithdrawsAUrlAndSelectsNamespacesByTheirLabels() {
    report("shared-policy", "team-withdrawn/q3.csv");
    report("shared-policy", "any/q3.csv");
    Links withdrawn = links("team-withdrawn");
    withdrawn.create("report", "shared-policy", "team-withdrawn/q3.csv", spec -> {});
    withdrawn.awaitUrl("report");
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("labelled-rbac")
                .addToLabels("presign.dev/links", "allowed")
                .endMetadata()
                .build())
        .create();
    Links labelled = new Links(admin, "labelled-rbac", s3.endpoint());
    labelled.create("report", "shared-policy", "any/q3.csv", spec -> {});
    assertThat(Http.get(labelled.awaitUrl("report")).body())
        .as("a namespace selected by its label (list and watch of namespaces)")
        .isEqualTo(REPORT);

    PolicyFileResource.write(PolicyFileResource.INITIAL.replace("team-*", "team-other"));

    withdrawn.awaitReason("report", "NotPermitted");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(withdrawn.secret("report").getData()).doesNotContainKey("url"));
  }

  /**
   * Without patch on Deployments, the link whose restart target cannot be restarted says so,
   * quoting the API server's 403; its new URL is in place, and a link without restart targets
   * rotates as before.
   */
  @Test
  void aVerbTakenFromTheRoleIsNamedByTheAffectedLinkAndNothingElseBreaks() {
    String namespace = "team-verb";
    report("shared-verb", "team-verb/a.csv");
    Links links = links(namespace);
    admin.resource(Workloads.deployment(namespace, "worker", null)).create();
    links.create(
        "restarting",
        "shared-verb",
        "team-verb/a.csv",
        spec -> spec.setRestartTargets(List.of(target("worker"))));
    links.create("plain", "shared-verb", "team-verb/a.csv", spec -> {});
    String restartingUrl = links.awaitUrl("restarting");
    String plainUrl = links.awaitUrl("plain");

    editClusterRole(role -> withoutVerb(role, "apps", "deployments", "patch"));
    try {
      links.annotate("restarting", "presign.dev/rotate-requested-at", "verb-1");
      links.annotate("plain", "presign.dev/rotate-requested-at", "verb-1");

      Condition refused =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> links.condition("restarting", "Reconciling"),
                  c -> c.filter(found -> "RestartFailed".equals(found.getReason())).isPresent())
              .orElseThrow();
      assertThat(refused.getMessage())
          .contains("could not restart Deployment/worker (HTTP 403)")
          .contains("system:serviceaccount:presign-system:presign-operator")
          .contains("cannot patch resource \"deployments\"");
      assertThat(links.awaitNextUrl("restarting", restartingUrl, Duration.ofSeconds(10)))
          .as("the new URL is written all the same")
          .isNotBlank();
      assertThat(Http.get(links.awaitNextUrl("plain", plainUrl, Duration.ofSeconds(30))).body())
          .as("a link that restarts nothing rotates as before")
          .isEqualTo(REPORT);
      assertThat(Workloads.restartedAt(admin, namespace, "worker")).isEmpty();
    } finally {
      editClusterRole(
          role -> new ClusterRoleBuilder(role).withRules(deployedRole().getRules()).build());
    }
  }

  private void editClusterRole(UnaryOperator<ClusterRole> change) {
    admin.rbac().clusterRoles().withName(DeployedRbac.CLUSTER_ROLE).edit(change);
  }

  /** The ClusterRole as deploy/ has it. */
  private static ClusterRole deployedRole() {
    return Manifests.only(
        Manifests.parseFile(Manifests.DEPLOY.resolve("30-clusterrole.yaml")), ClusterRole.class);
  }

  private static ClusterRole withoutVerb(
      ClusterRole role, String apiGroup, String resource, String verb) {
    List<PolicyRule> rules = new ArrayList<>();
    for (PolicyRule rule : role.getRules()) {
      if (rule.getApiGroups().contains(apiGroup) && rule.getResources().contains(resource)) {
        List<String> verbs = new ArrayList<>(rule.getVerbs());
        verbs.remove(verb);
        rule.setVerbs(verbs);
      }
      rules.add(rule);
    }
    return new ClusterRoleBuilder(role).withRules(rules).build();
  }

  private static RestartTarget target(String name) {
    RestartTarget target = new RestartTarget();
    target.setKind(RestartTarget.Kind.Deployment);
    target.setName(name);
    return target;
  }
}
