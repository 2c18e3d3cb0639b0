package dev.presign.operator.report;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The SDK's reconcile metrics, aggregated per controller rather than kept per resource (quarkus'
 * default), which would hold meters for every link ever seen (DESIGN §5). The SDK reports here when
 * a link is deleted, which is when its per-link gauges go, and what else is kept of it ({@link
 * LinkDeleted}).
 */
@Singleton
public class SdkMetrics implements Metrics {

  private final Metrics aggregate;
  private final LinkMetrics links;
  private final jakarta.enterprise.event.Event<LinkDeleted> deleted;

  public SdkMetrics(
      MeterRegistry registry,
      LinkMetrics links,
      jakarta.enterprise.event.Event<LinkDeleted> deleted) {
    this.aggregate = MicrometerMetrics.withoutPerResourceMetrics(registry);
    this.links = links;
    this.deleted = deleted;
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    links.forget(resourceID);
    deleted.fire(new LinkDeleted(resourceID));
    aggregate.cleanupDoneFor(resourceID, metadata);
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    aggregate.controllerRegistered(controller);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    aggregate.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    aggregate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    aggregate.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    aggregate.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    aggregate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    aggregate.finishedReconciliation(resource, metadata);
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return aggregate.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return aggregate.monitorSizeOf(map, name);
  }
}
