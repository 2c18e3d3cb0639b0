package dev.presign.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.credentials.CredentialsUnavailableException;
import dev.presign.operator.secret.SecretWriteFailedException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which failures wait for the API server's return rather than for their backoff. */
class FaultRecoveryTest {

  @Test
  void aRequestTheApiServerNeverAnsweredWaitsForItsReturn() {
    KubernetesClientException refused =
        new KubernetesClientException(
            "Operation: [create] for kind: [Secret] failed", new ConnectException("refused"));

    assertThat(FaultRecovery.apiUnanswered(refused)).isTrue();
    assertThat(
            FaultRecovery.apiUnanswered(
                new SecretWriteFailedException("create", "team", "report", refused)))
        .isTrue();
    assertThat(
            FaultRecovery.apiUnanswered(
                new CredentialsUnavailableException("cannot get a token", refused)))
        .as("a TokenRequest the API server did not answer")
        .isTrue();
  }

  @Test
  void anAnswerOfTheApiServerOrAnUnreachableStsKeepsItsBackoff() {
    assertThat(FaultRecovery.apiUnanswered(new KubernetesClientException("Forbidden", 403, null)))
        .as("the API server answered: RBAC, not an outage")
        .isFalse();
    assertThat(
            FaultRecovery.apiUnanswered(
                new CredentialsUnavailableException(
                    "cannot reach STS",
                    SdkClientException.create("timeout", new ConnectException("refused")))))
        .as("STS's outage has its own recovery")
        .isFalse();
  }
}
