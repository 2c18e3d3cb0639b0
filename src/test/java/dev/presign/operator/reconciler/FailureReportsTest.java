package dev.presign.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.secret.SecretWriteFailedException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import org.junit.jupiter.api.Test;

/** Which failures are the operator's own stop rather than something to report. */
class FailureReportsTest {

  @Test
  void aRequestInterruptedByTheStopIsNotAFailure() {
    // What Fabric8 throws when the thread waiting for its answer is interrupted.
    KubernetesClientException interrupted =
        new KubernetesClientException("An error has occurred.", new InterruptedException());

    assertThat(
            FailureReports.interrupted(
                new SecretWriteFailedException("create", "team", "report", interrupted)))
        .isTrue();
    assertThat(FailureReports.interrupted(new OperatorException(interrupted))).isTrue();
  }

  @Test
  void anAnswerOfTheApiServerIsAFailure() {
    KubernetesClientException refused = new KubernetesClientException("forbidden", 403, null);

    assertThat(
            FailureReports.interrupted(
                new SecretWriteFailedException("create", "team", "report", refused)))
        .isFalse();
  }
}
