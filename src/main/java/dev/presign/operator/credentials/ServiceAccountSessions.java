package dev.presign.operator.credentials;

import dev.presign.operator.credentials.WebIdentitySessions.Holder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/**
 * Signs as a ServiceAccount's IAM role, as IRSA does for its pods (DESIGN §4): a token of that
 * ServiceAccount from the API server (TokenRequest), exchanged at STS for a session of the role in
 * its {@code eks.amazonaws.com/role-arn} annotation. Sessions are cached per (namespace,
 * ServiceAccount, role).
 */
@ApplicationScoped
public class ServiceAccountSessions {

  static final String ROLE_ARN_ANNOTATION = "eks.amazonaws.com/role-arn";
  static final String AUDIENCE = "sts.amazonaws.com";

  /** The shortest token the API server issues; it is spent at once. */
  static final long TOKEN_SECONDS = 600;

  private final KubernetesClient client;
  private final WebIdentitySessions sessions;

  public ServiceAccountSessions(KubernetesClient client, WebIdentitySessions sessions) {
    this.client = client;
    this.sessions = sessions;
  }

  /**
   * Credentials of the role of ServiceAccount {@code name} in {@code namespace}, valid for {@code
   * lifetime} when STS and the configured maximum allow it, and at least {@code renewBefore}.
   */
  public SigningCredentials credentials(
      String namespace, String name, Duration lifetime, Duration renewBefore) {
    Holder holder =
        new Holder(
            roleArn(namespace, name),
            // Shows in CloudTrail who signed.
            WebIdentitySessions.sessionName("presign-" + namespace + "-" + name),
            "ServiceAccount " + namespace + "/" + name);
    return sessions.credentials(holder, lifetime, renewBefore, () -> token(namespace, name));
  }

  private String roleArn(String namespace, String name) {
    ServiceAccount account;
    try {
      account = client.serviceAccounts().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new CredentialsUnavailableException(
          "cannot read ServiceAccount " + namespace + "/" + name + ": " + e.getMessage(), e);
    }
    if (account == null) {
      throw new CredentialsUnavailableException(
          "ServiceAccount "
              + namespace
              + "/"
              + name
              + " named by spec.credentials.serviceAccountName does not exist (a link can use"
              + " only ServiceAccounts of its own namespace)");
    }
    Map<String, String> annotations = account.getMetadata().getAnnotations();
    String roleArn = annotations == null ? null : annotations.get(ROLE_ARN_ANNOTATION);
    if (roleArn == null || roleArn.isBlank()) {
      throw new CredentialsUnavailableException(
          "ServiceAccount "
              + namespace
              + "/"
              + name
              + " has no "
              + ROLE_ARN_ANNOTATION
              + " annotation naming the IAM role to sign as");
    }
    return roleArn.trim();
  }

  private String token(String namespace, String name) {
    TokenRequest request =
        new TokenRequestBuilder()
            .withNewSpec()
            .withAudiences(AUDIENCE)
            .withExpirationSeconds(TOKEN_SECONDS)
            .endSpec()
            .build();
    try {
      return client
          .serviceAccounts()
          .inNamespace(namespace)
          .withName(name)
          .tokenRequest(request)
          .getStatus()
          .getToken();
    } catch (KubernetesClientException e) {
      throw new CredentialsUnavailableException(
          "cannot get a token for ServiceAccount " + namespace + "/" + name + ": " + e.getMessage(),
          e);
    }
  }
}
