package dev.presign.operator.deploy;

import static dev.presign.operator.deploy.Manifests.only;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kubectl apply -k deploy/, on the mock API server (there is no kustomize binary here). */
class KustomizeManifestsTest {

  private final KubernetesServer server =
      new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());

  @BeforeEach
  void startServer() {
    server.before();
  }

  @AfterEach
  void stopServer() {
    server.after();
  }

  @Test
  void everyListedResourceAppliesAndIsThere() {
    List<Path> files = Manifests.kustomizeResources();
    assertThat(files).allSatisfy(file -> assertThat(file).isRegularFile());
    List<HasMetadata> objects =
        files.stream().flatMap(f -> Manifests.parseFile(f).stream()).toList();
    KubernetesClient client = server.getClient();

    objects.forEach(object -> client.resource(object).create());

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "Namespace",
            "CustomResourceDefinition",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "Service");
    assertThat(objects)
        .allSatisfy(
            object ->
                assertThat(client.resource(object).get())
                    .as(object.getKind() + " " + object.getMetadata().getName())
                    .isNotNull());
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("presignedobjectlinks.presign.dev")
                .get())
        .isNotNull();
  }

  @Test
  void deploymentRunsHardenedAsTheBoundServiceAccountWithLeaderElection() {
    List<HasMetadata> objects =
        Manifests.kustomizeResources().stream()
            .flatMap(f -> Manifests.parseFile(f).stream())
            .toList();
    Deployment deployment = only(objects, Deployment.class);
    ServiceAccount account = only(objects, ServiceAccount.class);

    assertThat(account.getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");
    assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(account.getMetadata().getName());
    assertThat(only(objects, ClusterRoleBinding.class).getSubjects())
        .singleElement()
        .satisfies(
            subject -> {
              assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
              assertThat(subject.getNamespace()).isEqualTo(account.getMetadata().getNamespace());
            });
    assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(15);
    Container operator = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(operator.getResources().getLimits()).containsKeys("cpu", "memory");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    assertThat(operator.getVolumeMounts()).anyMatch(mount -> mount.getMountPath().equals("/tmp"));
    assertThat(operator.getEnv())
        .extracting(EnvVar::getName)
        .contains("PRESIGN_LEADER_ELECTION_ENABLED", "PRESIGN_LEADER_ELECTION_LEASE_NAMESPACE");
  }

  @Test
  @SuppressWarnings("unchecked")
  void imageIsTheOneKustomizeEditSetImageReplaces() throws Exception {
    Map<String, Object> kustomization =
        Serialization.unmarshal(
            Files.readString(Manifests.DEPLOY.resolve("kustomization.yaml")), Map.class);
    String imageName = ((List<Map<String, String>>) kustomization.get("images")).get(0).get("name");
    Deployment deployment =
        only(Manifests.parseFile(Manifests.DEPLOY.resolve("40-deployment.yaml")), Deployment.class);

    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .startsWith(imageName + ":");
  }
}
