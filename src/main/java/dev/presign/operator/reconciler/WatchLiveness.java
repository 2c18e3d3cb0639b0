package dev.presign.operator.reconciler;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * DOWN when a watch of the operator has stopped for good (DESIGN §5): the client gives up on a
 * watch it cannot resume, and nothing would be reconciled again, while readiness alone would only
 * take the pod out of a Service it does not have. Kubernetes then restarts the pod.
 *
 * <p>A watch that has not yet synced - at start, or on a standby that does not lead - is alive.
 */
@Liveness
@ApplicationScoped
public class WatchLiveness implements HealthCheck {

  static final String NAME = "presign-operator watches";

  private final Operator operator;

  public WatchLiveness(Operator operator) {
    this.operator = operator;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
    operator
        .getRuntimeInfo()
        .getRegisteredControllers()
        .forEach(
            controller ->
                controller
                    .getControllerHealthInfo()
                    .informerEventSourceHealthIndicators()
                    .forEach(
                        (source, informers) -> {
                          List<String> stopped = stopped(informers.informerHealthIndicators());
                          if (!stopped.isEmpty()) {
                            response.down().withData(source, "stopped: " + stopped);
                          }
                        }));
    return response.build();
  }

  private static List<String> stopped(Map<String, InformerHealthIndicator> informers) {
    return informers.entrySet().stream()
        .filter(informer -> informer.getValue().hasSynced() && !informer.getValue().isRunning())
        .map(informer -> informer.getKey().isEmpty() ? "all namespaces" : informer.getKey())
        .toList();
  }
}
