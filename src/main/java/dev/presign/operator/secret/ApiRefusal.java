package dev.presign.operator.secret;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/**
 * What the API server said when it refused a request, for messages users read. Here because the
 * Secret is the lowest package that talks to the API server; restarts (consumers) and the failure
 * reports (reconciler) use it too.
 */
public final class ApiRefusal {

  private ApiRefusal() {}

  /** " (HTTP 403): <the API server's message>", or the client's message without a response. */
  public static String describe(KubernetesClientException e) {
    return (e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "")
        + ": "
        + Optional.ofNullable(e.getStatus())
            .map(status -> status.getMessage())
            .filter(message -> message != null && !message.isBlank())
            .orElse(e.getMessage());
  }
}
