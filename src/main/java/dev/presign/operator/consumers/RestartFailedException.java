package dev.presign.operator.consumers;

import dev.presign.operator.api.v1alpha1.RestartTarget;
import dev.presign.operator.secret.ApiRefusal;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** A restart target could not be restarted (R9); retried with backoff, the URL stays Ready. */
public class RestartFailedException extends RuntimeException {

  RestartFailedException(RestartTarget target, String problem) {
    super("could not restart " + RestartTargets.describe(target) + ": " + problem);
  }

  RestartFailedException(RestartTarget target, KubernetesClientException e) {
    super("could not restart " + RestartTargets.describe(target) + ApiRefusal.describe(e), e);
  }
}
