package dev.presign.operator.secret;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The API server refused, or failed, a request for the link's Secret (R8): RBAC (403), admission
 * such as owner-reference enforcement or a quota, validation (422), or the server itself.
 */
public class SecretWriteFailedException extends RuntimeException {

  public SecretWriteFailedException(
      String action, String namespace, String name, KubernetesClientException e) {
    super(
        "the API server refused to "
            + action
            + " Secret "
            + namespace
            + "/"
            + name
            + ApiRefusal.describe(e),
        e);
  }
}
