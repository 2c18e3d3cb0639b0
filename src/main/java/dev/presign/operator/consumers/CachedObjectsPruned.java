package dev.presign.operator.consumers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.StdConverter;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import io.quarkus.kubernetes.client.KubernetesClientObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's client leaves out, as it reads objects, what the operator never reads, so that the
 * informers' caches (every link and every Secret it manages, every workload that may read a Secret)
 * and the SDK's copies of them do not hold it: metadata.managedFields, which a real API server adds
 * to every object and which is often bigger than the rest; on links and workloads the last-applied
 * annotation of {@code kubectl apply} (and of Argo CD's default sync), a second copy of the spec;
 * and of workloads all but what {@link SecretReaders} and {@link RestartTargets} read of their pod
 * template (containers' env, envFrom and volume mounts, Secret volumes, the template's metadata).
 * Fields left out are never parsed into objects, so a workload costs little to cache and its kinds
 * little to start watching: the readers of Fabric8's full pod spec (affinity, probes, every volume
 * type) are never built.
 *
 * <p>Nothing is lost on the way back: the operator replaces only Secrets, and an update without
 * managedFields keeps the stored ones; it writes only the status of a link, as a patch, and the
 * restart annotation of a workload, as a patch.
 */
@Singleton
public class CachedObjectsPruned implements KubernetesClientObjectMapperCustomizer {

  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * The fields read on the way from a workload to the Secrets its pods read; the others are skipped
   * as the JSON is parsed. Only workloads are read as these types.
   */
  private static final Map<Class<?>, Set<String>> WORKLOAD_FIELDS_READ =
      Map.ofEntries(
          Map.entry(DeploymentSpec.class, Set.of("template")),
          Map.entry(StatefulSetSpec.class, Set.of("template")),
          Map.entry(DaemonSetSpec.class, Set.of("template")),
          Map.entry(CronJobSpec.class, Set.of("jobTemplate")),
          Map.entry(JobTemplateSpec.class, Set.of("spec")),
          Map.entry(JobSpec.class, Set.of("template")),
          Map.entry(PodTemplateSpec.class, Set.of("metadata", "spec")),
          Map.entry(PodSpec.class, Set.of("containers", "initContainers", "volumes")),
          Map.entry(Container.class, Set.of("name", "env", "envFrom", "volumeMounts")),
          Map.entry(EnvVar.class, Set.of("name", "valueFrom")),
          Map.entry(EnvVarSource.class, Set.of("secretKeyRef")),
          Map.entry(EnvFromSource.class, Set.of("secretRef")),
          Map.entry(VolumeMount.class, Set.of("name", "mountPath", "subPath", "subPathExpr")),
          Map.entry(Volume.class, Set.of("name", "secret", "projected")),
          Map.entry(ProjectedVolumeSource.class, Set.of("sources")),
          Map.entry(VolumeProjection.class, Set.of("secret")));

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.addMixIn(ObjectMeta.class, WithoutManagedFields.class);
    mapper.addMixIn(PresignedObjectLink.class, ReadWithoutLastApplied.class);
    SecretReaders.KINDS.forEach(kind -> mapper.addMixIn(kind, WorkloadPodTemplateOnly.class));
    mapper.registerModule(
        new SimpleModule("workload-pod-templates")
            .setDeserializerModifier(new WorkloadFieldsRead()));
  }

  private static final class WorkloadFieldsRead extends BeanDeserializerModifier {
    @Override
    public BeanDeserializerBuilder updateBuilder(
        DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
      Set<String> read = WORKLOAD_FIELDS_READ.get(bean.getBeanClass());
      if (read != null) {
        List<String> unread = new ArrayList<>();
        builder.getProperties().forEachRemaining(property -> unread.add(property.getName()));
        unread.removeAll(read);
        for (String name : unread) {
          builder.removeProperty(PropertyName.construct(name));
          // Ignored, not kept as an unknown field in additionalProperties.
          builder.addIgnorable(name);
        }
      }
      return builder;
    }
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
