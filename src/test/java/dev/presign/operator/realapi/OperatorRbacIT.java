package dev.presign.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.deploy.Manifests;
import dev.presign.operator.it.Http;
import dev.presign.operator.it.Links;
import dev.presign.operator.it.PolicyFileResource;
import dev.presign.operator.it.S3ProxyResource;
import dev.presign.operator.it.S3ProxyServer;
import dev.presign.operator.it.StsStandInResource;
import dev.presign.operator.it.WebIdentityTokens;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
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
@WithTestResource(StsStandInResource.class)
class OperatorRbacIT {

  private static final String READER_ROLE = "arn:aws:iam::111122223333:role/team-sa-reader";
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

  /**
   * A policy rule that selects namespaces by label (the operator lists and watches namespaces,
   * through the optional ClusterRole): a labelled namespace's link is issued, and withdrawn when
   * the label goes. The policy file stays as it is, so the other tests' links are untouched.
   */
  @Test
  void aPolicyRuleSelectsNamespacesByLabelAndWithdrawsTheUrlWhenTheLabelGoes() {
    report("shared-policy", "any/q3.csv");
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
    assertThat(Http.get(labelled.awaitUrl("report")).body()).isEqualTo(REPORT);

    admin
        .namespaces()
        .withName("labelled-rbac")
        .edit(
            namespace -> {
              namespace.getMetadata().getLabels().remove("presign.dev/links");
              return namespace;
            });

    labelled.awaitReason("report", "NotPermitted");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(labelled.secret("report").getData()).doesNotContainKey("url"));
  }

  /**
   * A link signed as a ServiceAccount of its namespace: the operator reads the ServiceAccount's
   * role annotation and asks the real TokenRequest API for its token, which STS (a stand-in) takes;
   * then the link's Secret is renamed, and the operator deletes the old one.
   */
  @Test
  void aLinkSignedAsItsServiceAccountAndARenamedSecret() {
    String namespace = "team-sa-rbac";
    report("tenant-rbac", "a.csv");
    Links links = links(namespace);
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName("reader")
                .addToAnnotations("eks.amazonaws.com/role-arn", READER_ROLE)
                .endMetadata()
                .build())
        .create();

    links.create(
        "tenant",
        "tenant-rbac",
        "a.csv",
        spec -> {
          LinkCredentials credentials = new LinkCredentials();
          credentials.setServiceAccountName("reader");
          spec.setCredentials(credentials);
        });
    assertThat(Http.get(links.awaitUrl("tenant")).body()).isEqualTo(REPORT);
    assertThat(StsStandInResource.sts().calls())
        .filteredOn(call -> call.roleArn().equals(READER_ROLE))
        .first()
        .satisfies(
            call ->
                assertThat(WebIdentityTokens.subject(call.token()))
                    .as("a token the real API server issued for the ServiceAccount")
                    .isEqualTo("system:serviceaccount:team-sa-rbac:reader"));

    links.edit("tenant", spec -> spec.setSecretTemplate(Links.secretTemplate("tenant-v2")));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(links.secret("tenant-v2")).isNotNull();
              assertThat(links.secret("tenant")).as("the old Secret, deleted").isNull();
            });
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

  /**
   * The server enforces owner-reference permissions: without update on the links' finalizers, a new
   * link's Secret (a controller ownerReference with blockOwnerDeletion) is refused, and the link
   * quotes the refusal; a link issued before rotates, as an update that leaves the ownerReference
   * alone is not checked. With deploy/'s rule back, the new link is issued.
   */
  @Test
  void ownerReferenceEnforcementNeedsTheFinalizersRuleOfTheRole() {
    String namespace = "team-owners";
    report("shared-owners", "team-owners/a.csv");
    Links links = links(namespace);
    links.create("before", "shared-owners", "team-owners/a.csv", spec -> {});
    String before = links.awaitUrl("before");

    editClusterRole(
        role -> withoutVerb(role, "presign.dev", "presignedobjectlinks/finalizers", "update"));
    try {
      links.create("after", "shared-owners", "team-owners/a.csv", spec -> {});
      Condition refused = links.awaitReason("after", "SecretWriteFailed");
      assertThat(refused.getMessage())
          .contains("(HTTP 403)")
          .contains("cannot set blockOwnerDeletion");
      links.annotate("before", "presign.dev/rotate-requested-at", "owners-1");
      assertThat(Http.get(links.awaitNextUrl("before", before, Duration.ofSeconds(30))).body())
          .isEqualTo(REPORT);
    } finally {
      editClusterRole(
          role -> new ClusterRoleBuilder(role).withRules(deployedRole().getRules()).build());
    }
    assertThat(Http.get(links.awaitUrl("after")).body()).isEqualTo(REPORT);
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
      if (!rule.getVerbs().isEmpty()) {
        rules.add(rule);
      }
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
