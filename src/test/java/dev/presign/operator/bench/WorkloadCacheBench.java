package dev.presign.operator.bench;

import dev.presign.operator.consumers.OperatorSerialization;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Heap that one cached Deployment holds in the operator's workload informer (the reader report of
 * R9 watches every Deployment, StatefulSet, DaemonSet and CronJob), read as the operator's client
 * reads it and as a plain client would. The Deployment is one applied with {@code kubectl apply}
 * (or Argo CD's default sync) to a real API server: managedFields, the last-applied copy, a status.
 * Prints figures; asserts nothing. Run: {@code ./mvnw -Pbench test -Dtest=WorkloadCacheBench}.
 */
class WorkloadCacheBench {

  private static final int DEPLOYMENTS = 5_000;

  private static final String SPEC =
      """
      {"replicas": 3, "selector": {"matchLabels": {"app": "web-%1$d"}},
       "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%%",
         "maxUnavailable": "25%%"}},
       "template": {"metadata": {"labels": {"app": "web-%1$d", "team": "analytics"}},
        "spec": {"serviceAccountName": "web", "containers": [{"name": "web",
          "image": "registry.example.com/team/web:1.4.%1$d",
          "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
          "env": [{"name": "REPORT_URL", "valueFrom": {"secretKeyRef": {"name": "report-url",
            "key": "url"}}}, {"name": "LOG_LEVEL", "value": "info"}],
          "resources": {"requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"memory": "512Mi"}},
          "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"},
            "periodSeconds": 10},
          "livenessProbe": {"httpGet": {"path": "/live", "port": "http"},
            "periodSeconds": 10},
          "volumeMounts": [{"name": "config", "mountPath": "/etc/web"}]}],
         "volumes": [{"name": "config", "configMap": {"name": "web-config"}}]}}}
      """;

  private static final String DEPLOYMENT =
      """
      {"apiVersion": "apps/v1", "kind": "Deployment",
       "metadata": {"name": "web-%1$d", "namespace": "team-a", "uid": "uid-%1$d",
        "resourceVersion": "%1$d", "generation": 4, "creationTimestamp": "2026-11-01T10:00:00Z",
        "labels": {"app": "web-%1$d", "team": "analytics"},
        "annotations": {"deployment.kubernetes.io/revision": "4",
          "kubectl.kubernetes.io/last-applied-configuration": %2$s},
        "managedFields": [
         {"manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1",
          "time": "2026-11-01T10:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata":
          {"f:annotations": {".": {}, "f:kubectl.kubernetes.io/last-applied-configuration": {}},
           "f:labels": {".": {}, "f:app": {}, "f:team": {}}}, "f:spec": {"f:replicas": {},
           "f:selector": {}, "f:strategy": {"f:rollingUpdate": {".": {}, "f:maxSurge": {},
           "f:maxUnavailable": {}}, "f:type": {}}, "f:template": {"f:metadata": {"f:labels": {
           ".": {}, "f:app": {}, "f:team": {}}}, "f:spec": {"f:containers": {
           "k:{\\"name\\":\\"web\\"}": {".": {}, "f:env": {}, "f:image": {}, "f:name": {},
           "f:ports": {}, "f:resources": {}, "f:volumeMounts": {}}}, "f:volumes": {}}}}}},
         {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "apps/v1",
          "time": "2026-11-01T10:01:00Z", "fieldsType": "FieldsV1", "subresource": "status",
          "fieldsV1": {"f:status": {"f:availableReplicas": {}, "f:conditions": {},
          "f:observedGeneration": {}, "f:readyReplicas": {}, "f:replicas": {},
          "f:updatedReplicas": {}}}}]},
       "spec": %3$s,
       "status": {"observedGeneration": 4, "replicas": 3, "updatedReplicas": 3,
        "readyReplicas": 3, "availableReplicas": 3, "conditions": [
         {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable",
          "message": "Deployment has minimum availability.",
          "lastUpdateTime": "2026-11-01T10:01:00Z", "lastTransitionTime": "2026-11-01T10:01:00Z"},
         {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable",
          "message": "ReplicaSet \\"web-%1$d-5d8f7c9b4\\" has successfully progressed.",
          "lastUpdateTime": "2026-11-01T10:01:00Z",
          "lastTransitionTime": "2026-11-01T10:00:00Z"}]}}
      """;

  @Test
  void heapPerCachedDeployment() {
    KubernetesSerialization plain = new KubernetesSerialization();
    List<String> stored = new ArrayList<>();
    for (int i = 0; i < DEPLOYMENTS; i++) {
      String spec = SPEC.formatted(i);
      stored.add(DEPLOYMENT.formatted(i, plain.asJson(spec.replaceAll("\\s+", " ")), spec));
    }
    double asRead = kibPerObject(stored, json -> plain.unmarshal(json, Deployment.class));
    KubernetesSerialization operator = OperatorSerialization.create();
    double asCached = kibPerObject(stored, json -> operator.unmarshal(json, Deployment.class));
    System.out.printf(
        "BENCH workload cache: %.1f KiB per Deployment as a plain client reads it, %.1f KiB as"
            + " the operator's client does (%.0f%% less; %,d bytes of JSON each)%n",
        asRead, asCached, 100 * (1 - asCached / asRead), stored.get(0).length());
  }

  /** Heap the parsed objects hold, measured around them after full collections. */
  private static double kibPerObject(List<String> stored, Function<String, Object> read) {
    long before = usedAfterGc();
    List<Object> kept = new ArrayList<>(stored.size());
    stored.forEach(json -> kept.add(read.apply(json)));
    long after = usedAfterGc();
    double kib = (after - before) / 1024.0 / kept.size();
    kept.clear();
    return kib;
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
