package dev.presign.operator.deploy;

import static dev.presign.operator.deploy.Manifests.RELEASE_NAMESPACE;
import static dev.presign.operator.deploy.Manifests.all;
import static dev.presign.operator.deploy.Manifests.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's rights in deploy/ and in the chart are exactly {@link OperatorPermissions}.
 * OperatorRequestsIT checks that table against what the running operator asks the API server.
 */
class RbacTest {

  @Test
  void plainManifestsGrantExactlyWhatTheOperatorUses() {
    List<HasMetadata> rbac = Manifests.parseFile(Manifests.DEPLOY.resolve("30-clusterrole.yaml"));
    List<PolicyRule> rules = only(rbac, ClusterRole.class).getRules();

    assertThat(OperatorPermissions.granted(rules)).isEqualTo(OperatorPermissions.REQUIRED);
    assertNothingDangerous(rules);
    Role leases =
        only(
            Manifests.parseFile(Manifests.DEPLOY.resolve("32-leader-election-role.yaml")),
            Role.class);
    assertThat(leases.getMetadata().getNamespace()).isEqualTo("presign-system");
    assertThat(OperatorPermissions.granted(leases.getRules()))
        .isEqualTo(OperatorPermissions.LEASES);
  }

  @Test
  void chartClusterRoleGrantsExactlyWhatTheOperatorUses() {
    List<PolicyRule> rules = only(Manifests.renderChart(), ClusterRole.class).getRules();

    assertThat(OperatorPermissions.granted(rules)).isEqualTo(OperatorPermissions.REQUIRED);
    assertNothingDangerous(rules);
  }

  @Test
  void chartRolesForWatchedNamespacesGrantTheSameAndLeasesOnlyInTheReleaseNamespace() {
    List<HasMetadata> objects =
        Manifests.renderChart(
            t ->
                t.set("watchNamespaces[0]", "team-a")
                    .set("watchNamespaces[1]", "team-b")
                    .set("replicas", 2));

    List<Role> roles = all(objects, Role.class);
    assertThat(roles)
        .filteredOn(role -> !role.getMetadata().getNamespace().equals(RELEASE_NAMESPACE))
        .hasSize(2)
        .allSatisfy(
            role -> {
              assertThat(OperatorPermissions.granted(role.getRules()))
                  .isEqualTo(OperatorPermissions.REQUIRED);
              assertNothingDangerous(role.getRules());
            });
    assertThat(roles)
        .filteredOn(role -> role.getMetadata().getNamespace().equals(RELEASE_NAMESPACE))
        .singleElement()
        .satisfies(
            role ->
                assertThat(OperatorPermissions.granted(role.getRules()))
                    .isEqualTo(OperatorPermissions.LEASES));
  }

  @Test
  void leaseRightsAreGrantedOnlyWhenReplicasElectALeader() {
    assertThat(all(Manifests.renderChart(), Role.class)).isEmpty();
    assertThat(all(Manifests.renderChart(t -> t.set("replicas", 2)), Role.class))
        .singleElement()
        .satisfies(
            role -> {
              assertThat(role.getMetadata().getNamespace()).isEqualTo(RELEASE_NAMESPACE);
              assertThat(OperatorPermissions.granted(role.getRules()))
                  .isEqualTo(OperatorPermissions.LEASES);
            });
  }

  @Test
  void namespaceLabelsAreReadableOnlyWhenAPolicyRuleSelectsNamespacesByLabel() {
    assertThat(Manifests.renderChart(t -> t.withValuesFile(Manifests.testValues("ha-values.yaml"))))
        .as("a policy without namespaceSelector rules")
        .noneSatisfy(object -> assertThat(object).isInstanceOf(ClusterRole.class));

    List<HasMetadata> objects =
        Manifests.renderChart(
            t -> t.withValuesFile(Manifests.testValues("selector-policy-values.yaml")));
    // Namespaces are cluster-scoped: a ClusterRole and its binding even with watchNamespaces.
    ClusterRole labels = only(objects, ClusterRole.class);
    assertThat(OperatorPermissions.granted(labels.getRules()))
        .isEqualTo(OperatorPermissions.NAMESPACE_LABELS);
    ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(labels.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getName())
                  .isEqualTo(only(objects, ServiceAccount.class).getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(RELEASE_NAMESPACE);
            });

    List<HasMetadata> optional =
        Manifests.parseFile(Manifests.DEPLOY.resolve("optional/namespace-labels-rbac.yaml"));
    assertThat(OperatorPermissions.granted(only(optional, ClusterRole.class).getRules()))
        .isEqualTo(OperatorPermissions.NAMESPACE_LABELS);
    assertThat(only(optional, ClusterRoleBinding.class).getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getName()).isEqualTo("presign-operator");
              assertThat(subject.getNamespace()).isEqualTo("presign-system");
            });
  }

  /** Belt and braces on top of the exact comparison: the rights an attacker would want. */
  private static void assertNothingDangerous(List<PolicyRule> rules) {
    assertThat(rules)
        .allSatisfy(
            rule -> {
              assertThat(
                      Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs())
                          .flatMap(List::stream))
                  .doesNotContain("*");
              assertThat(rule.getResources())
                  .doesNotContain(
                      "pods",
                      "pods/exec",
                      "namespaces",
                      "nodes",
                      "roles",
                      "rolebindings",
                      "clusterroles",
                      "clusterrolebindings");
              assertThat(rule.getVerbs())
                  .doesNotContain("escalate", "bind", "impersonate", "deletecollection");
              assertThat(rule.getResourceNames()).isNullOrEmpty();
            });
  }
}
