package dev.presign.operator.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a real API server adds to objects and the operator never reads stays out of its caches. */
class CachedObjectsPrunedTest {

  private static final String MANAGED_FIELDS =
      """
      "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update",
        "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}]
      """;

  private final KubernetesSerialization json = OperatorSerialization.create();

  @Test
  void aLinkIsReadWithoutManagedFieldsOrTheLastAppliedCopyAndKeepsWhatTheOperatorReads() {
    PresignedObjectLink link =
        json.unmarshal(
            """
            {"apiVersion": "presign.dev/v1alpha1", "kind": "PresignedObjectLink",
             "metadata": {"name": "report", "namespace": "team-a", "generation": 2, "uid": "u-1",
               "labels": {"shard": "a"}, %s,
               "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                               "team": "analytics"}},
             "spec": {"bucket": "reports", "key": "daily.csv", "method": "DELETE"}}
            """
                .formatted(MANAGED_FIELDS),
            PresignedObjectLink.class);

    assertThat(link.getMetadata().getManagedFields()).isEmpty();
    assertThat(link.getMetadata().getAnnotations()).containsOnlyKeys("team");
    assertThat(link.getMetadata().getLabels()).containsEntry("shard", "a");
    assertThat(link.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(link.getSpec().getBucket()).isEqualTo("reports");
    // Still read leniently: the unknown method is a problem of the spec, not a failed read.
    assertThat(link.getSpec().getReadProblems())
        .containsExactly("spec.method: 'DELETE' is not GET, PUT or POST");
    assertThat(json.asJson(link)).doesNotContain("managedFields", "last-applied");
  }

  @Test
  void aSecretIsReadWithoutManagedFields() {
    Secret secret =
        json.unmarshal(
            """
            {"apiVersion": "v1", "kind": "Secret",
             "metadata": {"name": "report", "namespace": "team-a", %s,
               "annotations": {"presign.dev/url-digest": "sha256:1"}},
             "data": {"url": "aHR0cA=="}}
            """
                .formatted(MANAGED_FIELDS),
            Secret.class);

    assertThat(secret.getMetadata().getManagedFields()).isEmpty();
    assertThat(secret.getMetadata().getAnnotations()).containsOnlyKeys("presign.dev/url-digest");
    assertThat(secret.getData()).containsKey("url");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"apps/v1, Deployment", "apps/v1, StatefulSet", "apps/v1, DaemonSet"})
  void aWorkloadIsReadAsWhatItsPodsReadOfSecretsWithoutStatusOrTheLastAppliedCopy(
      String apiVersion, String kind) {
    HasMetadata workload =
        json.unmarshal(
            """
            {"apiVersion": "%s", "kind": "%s",
             "metadata": {"name": "web", "namespace": "team-a", %s,
               "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}",
                               "team": "analytics"}},
             "spec": {"minReadySeconds": 5, "template": {"spec": {"containers": [{"name": "app",
               "image": "registry.example.com/app:1", "livenessProbe": {"httpGet": {"port": 80}},
               "env": [{"name": "URL", "valueFrom": {"secretKeyRef": {"name": "report-url",
                 "key": "url"}}}]}], "affinity": {"nodeAffinity": {}},
               "volumes": [{"name": "config", "configMap": {"name": "app-config"}}]}}},
             "status": {"replicas": 2, "readyReplicas": 2,
               "conditions": [{"type": "Available", "status": "True"}]}}
            """
                .formatted(apiVersion, kind, MANAGED_FIELDS),
            SecretReaders.KINDS.stream()
                .filter(type -> type.getSimpleName().equals(kind))
                .findFirst()
                .orElseThrow());

    assertThat(workload.getMetadata().getManagedFields()).isEmpty();
    assertThat(workload.getMetadata().getAnnotations()).containsOnlyKeys("team");
    // Nor what the pods do besides reading Secrets: not even as unknown fields.
    assertThat(json.asJson(workload))
        .doesNotContain(
            "status",
            "readyReplicas",
            "last-applied",
            "minReadySeconds",
            "image",
            "livenessProbe",
            "affinity",
            "configMap")
        .contains("\"name\":\"config\"");
    // What the operator reads of it is all there: it still reports the reader.
    assertThat(SecretReaders.unrestarted("report-url", List.of(), List.of(workload)))
        .containsExactly(
            kind
                + "/web reads Secret report-url through env var URL (container app) and is not a"
                + " restart target: it keeps the URL its pods started with");
  }

  @Test
  void aCronJobIsReadAsItsJobsPodTemplateWithoutStatus() {
    CronJob cronJob =
        json.unmarshal(
            """
            {"apiVersion": "batch/v1", "kind": "CronJob",
             "metadata": {"name": "nightly", "namespace": "team-a"},
             "spec": {"schedule": "0 2 * * *", "jobTemplate": {"spec": {"template": {"spec": {
               "containers": [{"name": "job", "envFrom": [{"secretRef": {"name": "report-url"}}]}]
             }}}}},
             "status": {"lastScheduleTime": "2026-12-01T02:00:00Z"}}
            """,
            CronJob.class);

    assertThat(cronJob.getStatus()).isNull();
    assertThat(SecretReaders.unrestarted("report-url", List.of(), List.of(cronJob))).hasSize(1);
  }
}
