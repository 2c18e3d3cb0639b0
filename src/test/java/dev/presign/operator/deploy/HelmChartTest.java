package dev.presign.operator.deploy;

import static dev.presign.operator.deploy.Manifests.RELEASE_NAMESPACE;
import static dev.presign.operator.deploy.Manifests.all;
import static dev.presign.operator.deploy.Manifests.ofKind;
import static dev.presign.operator.deploy.Manifests.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.policy.Policy;
import dev.presign.operator.policy.PolicyFile;
import dev.presign.operator.policy.RequestedAccess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HelmChartTest {

  @Test
  void chartPassesStrictLint() {
    LintResult lint = new Helm(Manifests.CHART).lint().strict().call();

    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void alertsAndDashboardAreRenderedOnlyWhenAskedFor() throws Exception {
    assertThat(Manifests.renderChart())
        .extracting(HasMetadata::getKind)
        .doesNotContain("PrometheusRule", "ConfigMap");

    List<HasMetadata> objects =
        Manifests.renderChart(
            t ->
                t.set("metrics.prometheusRule.enabled", "true")
                    .set("metrics.prometheusRule.linkNotReadyFor", "30m")
                    .set("metrics.grafanaDashboard.enabled", "true"));

    GenericKubernetesResource rule =
        (GenericKubernetesResource) ofKind(objects, "PrometheusRule").orElseThrow();
    assertThat(Serialization.asYaml(rule.getAdditionalProperties().get("spec")))
        .contains("alert: \"PresignLinkNotReady\"")
        .contains("for: \"30m\"");
    ConfigMap dashboard = only(objects, ConfigMap.class);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    String json = dashboard.getData().get("presign-operator.json");
    assertThat(json)
        .isEqualTo(
            Manifests.read(Manifests.CHART.resolve("dashboards/presign-operator.json"))
                .stripTrailing());
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("title").asText())
        .isEqualTo("presign-operator");
  }

  @Test
  void defaultValuesInstallOneHardenedReplicaWatchingAllNamespaces() {
    List<HasMetadata> objects = Manifests.renderChart();

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder(
            "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service", "Deployment");
    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    // The Lease duration: a stop that takes longer no longer speeds up the handover.
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(15);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage()).isEqualTo("presign-operator:0.1.0-SNAPSHOT");
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(operator.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
    var security = operator.getSecurityContext();
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getVolumeMounts())
        .anyMatch(mount -> mount.getMountPath().equals("/tmp") && mount.getName().equals("tmp"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(volume -> volume.getName().equals("tmp") && volume.getEmptyDir() != null);
    assertThat(env(operator))
        .containsEntry("PRESIGN_LEADER_ELECTION_ENABLED", "false")
        .containsEntry("PRESIGN_STS_MAX_SESSION_DURATION", "1h")
        .containsEntry("PRESIGN_VERIFY_STATUS_WAIT", "1s")
        .doesNotContainKeys(
            "AWS_ENDPOINT_URL_STS",
            "QUARKUS_OPERATOR_SDK_NAMESPACES",
            "PRESIGN_REGION",
            "PRESIGN_POLICY_FILE");
    ServiceAccount account = only(objects, ServiceAccount.class);
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(account.getMetadata().getAnnotations()).isNullOrEmpty();
    ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(only(objects, ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
            });
    assertThat(only(objects, Service.class).getSpec().getSelector())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void productionValuesGiveTwoElectingReplicasIrsaPerNamespaceRolesAndMonitoring() {
    List<HasMetadata> objects =
        Manifests.renderChart(t -> t.withValuesFile(Manifests.testValues("ha-values.yaml")));

    Deployment deployment = only(objects, Deployment.class);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getImage())
        .isEqualTo("registry.example/platform/presign-operator:0.1.0-rc1");
    assertThat(env(operator))
        .containsEntry("PRESIGN_REGION", "eu-west-1")
        .containsEntry("PRESIGN_STS_MAX_SESSION_DURATION", "12h")
        .containsEntry("AWS_ENDPOINT_URL_STS", "https://vpce-0123.sts.eu-west-1.vpce.amazonaws.com")
        .containsEntry("QUARKUS_OPERATOR_SDK_NAMESPACES", "team-a,team-b")
        .containsEntry("PRESIGN_LEADER_ELECTION_ENABLED", "true")
        .containsEntry("PRESIGN_LEADER_ELECTION_LEASE_DURATION", "15s")
        .containsEntry("PRESIGN_POLICY_FILE", "/etc/presign/policy.yaml")
        .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG");
    assertThat(operator.getEnv())
        .filteredOn(e -> e.getName().equals("PRESIGN_LEADER_ELECTION_LEASE_NAMESPACE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.namespace"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector())
        .containsEntry("kubernetes.io/os", "linux");
    assertThat(deployment.getSpec().getTemplate().getSpec().getTolerations()).hasSize(1);

    assertThat(only(objects, ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry(
            "eks.amazonaws.com/role-arn", "arn:aws:iam::111122223333:role/presign-operator")
        .containsEntry("team", "platform");

    // A list of namespaces: rights in those namespaces only, nothing cluster-wide.
    assertThat(all(objects, ClusterRole.class)).isEmpty();
    assertThat(all(objects, ClusterRoleBinding.class)).isEmpty();
    Map<String, List<String>> rolesByNamespace =
        all(objects, Role.class).stream()
            .collect(
                Collectors.groupingBy(
                    role -> role.getMetadata().getNamespace(),
                    Collectors.mapping(role -> role.getMetadata().getName(), Collectors.toList())));
    assertThat(rolesByNamespace).containsOnlyKeys("team-a", "team-b", RELEASE_NAMESPACE);
    assertThat(all(objects, RoleBinding.class))
        .extracting(binding -> binding.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b", RELEASE_NAMESPACE);
    Role leases =
        all(objects, Role.class).stream()
            .filter(role -> role.getMetadata().getNamespace().equals(RELEASE_NAMESPACE))
            .findFirst()
            .orElseThrow();
    assertThat(OperatorPermissions.granted(leases.getRules()))
        .isEqualTo(OperatorPermissions.LEASES);

    GenericKubernetesResource monitor =
        (GenericKubernetesResource) ofKind(objects, "ServiceMonitor").orElseThrow();
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    assertThat(Serialization.asYaml(monitor.getAdditionalProperties().get("spec")))
        .contains("path: \"/q/metrics\"");
    assertThat(only(objects, PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels())
        .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());

    ConfigMap policy = only(objects, ConfigMap.class);
    // The operator's own parser reads the rendered file, and it means what the values say.
    Policy rendered = PolicyFile.parse(policy.getData().get("policy.yaml"), "rendered policy");
    assertThat(teamA(rendered, "team-a/q3.csv", HttpMethod.GET, Duration.ofHours(24))).isEmpty();
    assertThat(teamA(rendered, "team-b/q3.csv", HttpMethod.GET, Duration.ofHours(1))).isPresent();
    assertThat(teamA(rendered, "team-a/q3.csv", HttpMethod.PUT, Duration.ofHours(1))).isPresent();
    assertThat(operator.getVolumeMounts())
        .anyMatch(mount -> mount.getMountPath().equals("/etc/presign"));
    assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
        .anyMatch(
            volume ->
                volume.getConfigMap() != null
                    && volume.getConfigMap().getName().equals(policy.getMetadata().getName()));
  }

  @Test
  void leaderElectionFollowsReplicasUnlessSetExplicitly() {
    assertThat(leaderElectionEnv(Manifests.renderChart(t -> t.set("replicas", 3))))
        .isEqualTo("true");
    assertThat(leaderElectionEnv(Manifests.renderChart(t -> t.set("leaderElection.enabled", true))))
        .isEqualTo("true");
    assertThat(
            leaderElectionEnv(
                Manifests.renderChart(
                    t -> t.set("replicas", 2).set("leaderElection.enabled", false))))
        .isEqualTo("false");
  }

  @Test
  void aSelectorSplitsTheLinksWithALeaseOfTheReleasesOwn() {
    Container operator =
        only(
                Manifests.renderChart(
                    t -> t.set("replicas", 2).set("selector", "presign.dev/shard=a")),
                Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(operator))
        .containsEntry("PRESIGN_SELECTOR", "presign.dev/shard=a")
        .hasEntrySatisfying(
            "PRESIGN_LEADER_ELECTION_LEASE_NAME",
            name -> assertThat(name).endsWith("-lease").isNotEqualTo("presign-operator-lease"));
    Container unsplit =
        only(Manifests.renderChart(t -> t.set("replicas", 2)), Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(env(unsplit))
        .containsEntry("PRESIGN_LEADER_ELECTION_LEASE_NAME", "presign-operator-lease")
        .doesNotContainKey("PRESIGN_SELECTOR");
  }

  @Test
  void schemaRejectsValuesTheOperatorCannotUse() {
    assertThatThrownBy(
            () -> Manifests.renderChart(t -> t.set("leaderElection.enabled", "sometimes")))
        .hasMessageContaining("/leaderElection/enabled");
    assertThatThrownBy(
            () -> Manifests.renderChart(t -> t.set("serviceAccount.irsaRoleArn", "my-role")))
        .hasMessageContaining("/serviceAccount/irsaRoleArn");
    assertThatThrownBy(
            () -> Manifests.renderChart(t -> t.set("terminationGracePeriodSeconds", "15s")))
        .hasMessageContaining("/terminationGracePeriodSeconds");
    // A misspelt value fails instead of being ignored.
    assertThatThrownBy(() -> Manifests.renderChart(t -> t.set("replica", 2)))
        .hasMessageContaining("replica");
  }

  private static String leaderElectionEnv(List<HasMetadata> objects) {
    Container operator =
        only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    return env(operator).get("PRESIGN_LEADER_ELECTION_ENABLED");
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  /** The policy's answer to a link of namespace team-a for bucket acme-shared-1. */
  private static Optional<String> teamA(
      Policy policy, String key, HttpMethod method, Duration expiresIn) {
    return policy.denial(
        new RequestedAccess("team-a", "acme-shared-1", key, method, expiresIn),
        namespace -> Map.of());
  }
}
