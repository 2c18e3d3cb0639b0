package dev.presign.operator.reconciler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.util.StdConverter;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;

/**
 * The operator's client leaves out, as it reads objects, what the operator never reads, so that the
 * informers' caches (every link and every Secret it manages, every workload that may read a Secret)
 * and the SDK's copies of them do not hold it: metadata.managedFields, which a real API server adds
 * to every object and which is often bigger than the rest; on links and workloads the last-applied
 * annotation of {@code kubectl apply} (and of Argo CD's default sync), a second copy of the spec;
 * and the status of workloads, of which only the pod template is read.
 *
 * <p>Nothing is lost on the way back: the operator replaces only Secrets, and an update without
 * managedFields keeps the stored ones; it writes only the status of a link, as a patch, and the
 * restart annotation of a workload, as a patch.
 */
@Singleton
public class CachedObjectsPruned implements KubernetesClientObjectMapperCustomizer {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    mapper.addMixIn(PresignedObjectLink.class, ReadWithoutLastApplied.class);
    SecretReaders.KINDS.forEach(kind -> mapper.addMixIn(kind, WorkloadPodTemplateOnly.class));
  }

  @JsonIgnoreProperties("managedFields")
  private abstract static class WithoutManagedFields {}

  private abstract static class ReadWithoutLastApplied {
    @JsonDeserialize(converter = WithoutLastApplied.class)
    abstract void setMetadata(ObjectMeta metadata);
  }

  @JsonIgnoreProperties("status")
  private abstract static class WorkloadPodTemplateOnly extends ReadWithoutLastApplied {}

  private static final class WithoutLastApplied extends StdConverter<ObjectMeta, ObjectMeta> {
    @Override
    public ObjectMeta convert(ObjectMeta metadata) {
      Map<String, String> annotations = metadata.getAnnotations();
      if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
        Map<String, String> kept = new HashMap<>(annotations);
        kept.remove(LAST_APPLIED);
        metadata.setAnnotations(kept);
      }
      return metadata;
    }
  }
}
