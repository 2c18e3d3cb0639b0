package dev.presign.cli;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** What the API server said, worded as kubectl words it: "Error from server (Forbidden): ...". */
public final class ApiErrors {

  private ApiErrors() {}

  public static String describe(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      String reason = Optional.ofNullable(status.getReason()).orElse("code " + e.getCode());
      return "Error from server (" + reason + "): " + status.getMessage();
    }
    if (e.getCode() > 0) {
      return "Error from server (code " + e.getCode() + "): " + firstLine(e.getMessage());
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return "Unable to connect to the server: "
        + cause.getClass().getSimpleName()
        + Optional.ofNullable(cause.getMessage()).map(m -> ": " + firstLine(m)).orElse("");
  }

  public static boolean isForbidden(KubernetesClientException e) {
    return e.getCode() == 403;
  }

  public static boolean isNotFound(KubernetesClientException e) {
    return e.getCode() == 404;
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
