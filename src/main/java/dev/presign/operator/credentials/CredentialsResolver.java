package dev.presign.operator.credentials;

import dev.presign.operator.api.v1alpha1.LinkCredentials;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Where the credentials of a link come from (DESIGN §4): the operator's own identity through the
 * AWS default chain (IRSA, EKS Pod Identity, environment, profile), static keys from a Secret of
 * the link's own namespace, or the role of a ServiceAccount of that namespace.
 */
@ApplicationScoped
public class CredentialsResolver {

  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";
  static final String SESSION_TOKEN = "sessionToken";

  private final KubernetesClient client;
  private final ServiceAccountSessions serviceAccounts;
  private final OperatorIdentity operatorIdentity;

  public CredentialsResolver(
      KubernetesClient client,
      ServiceAccountSessions serviceAccounts,
      OperatorIdentity operatorIdentity) {
    this.client = client;
    this.serviceAccounts = serviceAccounts;
    this.operatorIdentity = operatorIdentity;
  }

  /**
   * @param namespace the link's namespace: the only one credentials are read from (R7)
   * @param spec may be null: the operator's own identity
   * @param lifetime how long the URL signed with them should work
   * @param renewBefore the link's: temporary credentials that end sooner cannot serve it
   */
  public SigningCredentials resolve(
      String namespace, LinkCredentials spec, Duration lifetime, Duration renewBefore) {
    if (spec == null) {
      return operatorIdentity.credentials(lifetime, renewBefore);
    }
    if (spec.getSecretRef() != null) {
      return fromSecret(namespace, spec.getSecretRef().getName());
    }
    return serviceAccounts.credentials(
        namespace, spec.getServiceAccountName(), lifetime, renewBefore);
  }

  private SigningCredentials fromSecret(String namespace, String name) {
    String field = "spec.credentials.secretRef.name";
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      throw new CredentialsUnavailableException(
          "cannot read Secret " + namespace + "/" + name + " (" + field + "): " + e.getMessage(),
          e);
    }
    if (secret == null) {
      throw new CredentialsUnavailableException(
          "Secret " + namespace + "/" + name + " named by " + field + " does not exist");
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String accessKeyId = decoded(data, ACCESS_KEY_ID).orElse(null);
    String secretAccessKey = decoded(data, SECRET_ACCESS_KEY).orElse(null);
    if (accessKeyId == null || secretAccessKey == null) {
      throw new CredentialsUnavailableException(
          "Secret "
              + namespace
              + "/"
              + name
              + " named by "
              + field
              + " must hold the keys "
              + ACCESS_KEY_ID
              + " and "
              + SECRET_ACCESS_KEY);
    }
    String source = "Secret " + name;
    // A session token without a known expiry is still temporary, but S3 alone knows when it ends.
    AwsCredentials credentials =
        decoded(data, SESSION_TOKEN)
            .<AwsCredentials>map(
                token -> AwsSessionCredentials.create(accessKeyId, secretAccessKey, token))
            .orElseGet(() -> AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    return new SigningCredentials(credentials, Optional.empty(), source);
  }

  private static Optional<String> decoded(Map<String, String> data, String key) {
    return Optional.ofNullable(data.get(key))
        .map(value -> new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).trim())
        .filter(value -> !value.isEmpty());
  }
}
