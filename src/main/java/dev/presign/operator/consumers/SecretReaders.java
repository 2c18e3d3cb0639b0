package dev.presign.operator.consumers;

import dev.presign.operator.api.v1alpha1.RestartTarget;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Rule R9: the workloads that read a link's Secret in a way that never sees a new URL - an
 * environment variable (env secretKeyRef, envFrom) or a volume mount with subPath - and that the
 * link does not restart. A mounted Secret volume without subPath updates by itself.
 */
final class SecretReaders {

  /** The workload kinds whose pod templates are read (read-only: list and watch). */
  static final List<Class<? extends HasMetadata>> KINDS =
      List.of(Deployment.class, StatefulSet.class, DaemonSet.class, CronJob.class);

  private SecretReaders() {}

  /**
   * One line per workload that never sees a new URL of {@code secretName}, saying how it reads it.
   */
  static List<String> unrestarted(
      String secretName,
      List<RestartTarget> restartTargets,
      Collection<? extends HasMetadata> workloads) {
    Set<String> restarted =
        Optional.ofNullable(restartTargets).orElse(List.of()).stream()
            .map(RestartTargets::describe)
            .collect(Collectors.toSet());
    List<String> readers = new ArrayList<>();
    for (HasMetadata workload : workloads) {
      String name = workload.getKind() + "/" + workload.getMetadata().getName();
      PodTemplateSpec template = podTemplate(workload);
      if (restarted.contains(name) || template == null || template.getSpec() == null) {
        continue;
      }
      List<String> ways = ways(secretName, template.getSpec());
      if (!ways.isEmpty()) {
        readers.add(
            name
                + " reads Secret "
                + secretName
                + " through "
                + String.join(", ", ways)
                + " and is not a restart target: it keeps the URL its pods started with");
      }
    }
    return readers.stream().sorted().toList();
  }

  /** The pod template of a workload kind of {@link #KINDS}; null for others. */
  static PodTemplateSpec podTemplate(HasMetadata workload) {
    if (workload instanceof Deployment deployment && deployment.getSpec() != null) {
      return deployment.getSpec().getTemplate();
    }
    if (workload instanceof StatefulSet set && set.getSpec() != null) {
      return set.getSpec().getTemplate();
    }
    if (workload instanceof DaemonSet set && set.getSpec() != null) {
      return set.getSpec().getTemplate();
    }
    if (workload instanceof CronJob job
        && job.getSpec() != null
        && job.getSpec().getJobTemplate() != null
        && job.getSpec().getJobTemplate().getSpec() != null) {
      return job.getSpec().getJobTemplate().getSpec().getTemplate();
    }
    return null;
  }

  private static List<String> ways(String secretName, PodSpec pod) {
    Set<String> volumes =
        Optional.ofNullable(pod.getVolumes()).orElse(List.of()).stream()
            .filter(volume -> mountsSecret(volume, secretName))
            .map(Volume::getName)
            .collect(Collectors.toSet());
    List<String> ways = new ArrayList<>();
    Stream.concat(
            Optional.ofNullable(pod.getInitContainers()).orElse(List.of()).stream(),
            Optional.ofNullable(pod.getContainers()).orElse(List.of()).stream())
        .forEach(
            container -> {
              for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                if (env.getValueFrom() != null
                    && env.getValueFrom().getSecretKeyRef() != null
                    && secretName.equals(env.getValueFrom().getSecretKeyRef().getName())) {
                  ways.add("env var " + env.getName() + " (container " + container.getName() + ")");
                }
              }
              for (EnvFromSource env :
                  Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
                if (env.getSecretRef() != null && secretName.equals(env.getSecretRef().getName())) {
                  ways.add("envFrom (container " + container.getName() + ")");
                }
              }
              subPathMounts(container, volumes)
                  .forEach(
                      mount ->
                          ways.add(
                              "a subPath mount at "
                                  + mount.getMountPath()
                                  + " (container "
                                  + container.getName()
                                  + ")"));
            });
    return ways;
  }

  private static Stream<VolumeMount> subPathMounts(Container container, Set<String> volumes) {
    return Optional.ofNullable(container.getVolumeMounts()).orElse(List.of()).stream()
        .filter(mount -> volumes.contains(mount.getName()))
        .filter(
            mount ->
                (mount.getSubPath() != null && !mount.getSubPath().isEmpty())
                    || (mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty()));
  }

  private static boolean mountsSecret(Volume volume, String secretName) {
    if (volume.getSecret() != null) {
      return secretName.equals(volume.getSecret().getSecretName());
    }
    return volume.getProjected() != null
        && Optional.ofNullable(volume.getProjected().getSources()).orElse(List.of()).stream()
            .anyMatch(
                source ->
                    source.getSecret() != null
                        && Objects.equals(secretName, source.getSecret().getName()));
  }
}
