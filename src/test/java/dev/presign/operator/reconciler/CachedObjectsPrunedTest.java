package dev.presign.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.validation.UnreadableFieldsKept;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** What a real API server adds to objects and the operator never reads stays out of its caches. */
class CachedObjectsPrunedTest {

  private static final String MANAGED_FIELDS =
      """
      "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update",
        "apiVersion": "v1", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}]
      """;

  private final KubernetesSerialization json = operatorSerialization();

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
        .containsExactly("spec.method: 'DELETE' is not GET or PUT");
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

  /** The operator's client mapper, with the customizers Quarkus applies to it. */
  private static KubernetesSerialization operatorSerialization() {
    ObjectMapper mapper = new ObjectMapper();
    new UnreadableFieldsKept().customize(mapper);
    new CachedObjectsPruned().customize(mapper);
    return new KubernetesSerialization(mapper, true);
  }
}
