package dev.presign.operator.lifecycle;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  /**
   * How long a probe waits for the SDK's view of its controllers. While the operator starts (in the
   * background: presign's application.properties) the SDK holds that view locked until every watch
   * has synced, which takes as long as the API server is away; the operator is alive meanwhile.
   */
  private static final Duration STARTING = Duration.ofMillis(200);

  private final Operator operator;
  private final ExecutorService inspector =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "presign-liveness");
            thread.setDaemon(true);
            return thread;
          });

  public WatchLiveness(Operator operator) {
    this.operator = operator;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
    Future<RuntimeInfo> started = inspector.submit(operator::getRuntimeInfo);
    RuntimeInfo runtime;
    try {
      runtime = started.get(STARTING.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return response.withData("operator", "starting: waiting for its watches to sync").build();
    } catch (ExecutionException e) {
      return response.down().withData("operator", String.valueOf(e.getCause())).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.build();
    }
    runtime
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
