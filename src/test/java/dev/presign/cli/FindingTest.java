package dev.presign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.cli.Finding.Level;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FindingTest {

  private static final Instant NOW = Instant.parse("2026-11-22T14:48:00Z");

  @Test
  void theCrdMustServeTheVersionThePluginSpeaks() {
    assertThat(Finding.crd(List.of("v1alpha1"), "v1alpha1").line())
        .isEqualTo(
            "[ok]   CRD presignedobjectlinks.presign.dev installed, serving v1alpha1 (preferred"
                + " v1alpha1)");
    assertThat(Finding.crd(List.of(), null).level()).isEqualTo(Level.fail);
    assertThat(Finding.crd(List.of("v1beta1"), "v1beta1").text())
        .contains("serves v1beta1, not v1alpha1");
  }

  @Test
  void everyOperatorPodMustBeReady() {
    assertThat(Finding.pods("presign-system", List.of(pod("op-1", true), pod("op-2", true))).line())
        .isEqualTo("[ok]   operator: 2 of 2 pods ready in presign-system (op-1, op-2)");
    assertThat(
            Finding.pods("presign-system", List.of(pod("op-1", true), pod("op-2", false))).line())
        .isEqualTo("[fail] operator: 1 of 2 pods ready in presign-system; not ready: op-2");
    assertThat(Finding.pods("presign-system", List.of()).level()).isEqualTo(Level.fail);
  }

  @ParameterizedTest(name = "holder {0}, renewed {1} s ago, {2} pods: {3}")
  @CsvSource({
    "op-1, 3, 2, ok, 'Lease presign-system/presign-operator-lease held by op-1, renewed 3s ago'",
    "op-1, 19, 2, ok, 'Lease presign-system/presign-operator-lease held by op-1, renewed 19s ago'",
    "op-1, 21, 2, fail, 'Lease presign-system/presign-operator-lease held by op-1 was last renewed"
        + " 21s ago (lease duration 15s): its leader has stopped'",
    "'', 3, 2, fail, 'Lease presign-system/presign-operator-lease is held by no one: no replica is"
        + " acting on links'"
  })
  void theLeaseMustBeHeldAndRenewedWithinItsDuration(
      String holder, int secondsAgo, int pods, Level level, String text) {
    Lease lease =
        new LeaseBuilder()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds(15)
            .withRenewTime(NOW.minusSeconds(secondsAgo).atZone(ZoneOffset.UTC))
            .endSpec()
            .build();
    Finding finding = Finding.lease("presign-system", "presign-operator-lease", lease, pods, NOW);
    assertThat(finding).isEqualTo(new Finding(level, text));
  }

  @Test
  void withoutALeaseOnlyOneReplicaMayRun() {
    assertThat(Finding.lease("presign-system", "presign-operator-lease", null, 1, NOW).level())
        .isEqualTo(Level.ok);
    assertThat(Finding.lease("presign-system", "presign-operator-lease", null, 2, NOW).level())
        .isEqualTo(Level.fail);
  }

  @Test
  void missingRightsAreWorthKnowingButNotWrong() {
    assertThat(Finding.access("analytics", List.of("get", "list"), false))
        .extracting(Finding::line)
        .containsExactly(
            "[ok]   you may get, list presignedobjectlinks in namespace analytics",
            "[warn] you may not get secrets in namespace analytics: `url` cannot print URLs"
                + " there (status and rotate work without)");
  }

  @Test
  void linksTheOperatorHasNotHandledAreNamed() {
    var handled = LinkFacts.of(SampleLinks.ready("a"));
    var behind = LinkFacts.of(SampleLinks.link("b"));
    assertThat(Finding.observed("in namespace analytics", List.of(handled, behind)).line())
        .isEqualTo(
            "[warn] 1 of 2 links in namespace analytics not yet handled by the operator:"
                + " analytics/b");
    assertThat(Finding.observed("in namespace analytics", List.of(handled)).line())
        .isEqualTo("[ok]   1 links in namespace analytics, all handled by the operator, 1 Ready");
  }

  private static Pod pod(String name, boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}
