package dev.presign.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.validation.GoDuration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which links the policy lets the operator sign with its own identity (R7). */
class PolicyTest {

  private static final Policy POLICY =
      PolicyFile.parse(
          """
          rules:
            - namespaces: ["team-*", "analytics"]
              buckets: ["acme-*", "shared.data"]
              keyPrefixes: ["shared/", "tenants/${namespace}/"]
              methods: [GET]
              maxExpiresIn: 24h
            - namespaceSelector:
                matchLabels: {presign.dev/uploads: allowed}
              buckets: ["uploads"]
              keyPrefixes: ["${namespace}/"]
              methods: [PUT]
              maxExpiresIn: 1h
            - namespaces: ["ops", "dev-?"]
              buckets: ["*"]
            - namespaces: ["forms"]
              buckets: ["drop"]
              methods: [POST]
          """,
          "policy.yaml");

  private static final Map<String, Map<String, String>> LABELS =
      Map.of(
          "team-b", Map.of("presign.dev/uploads", "allowed"),
          "labelled", Map.of("presign.dev/uploads", "allowed", "tier", "gold"),
          "team-c", Map.of("presign.dev/uploads", "denied"),
          "plain", Map.of("tier", "gold"));

  @ParameterizedTest(name = "{0} {1}/{2} {3} for {4}: {5}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # namespace | bucket       | key                     | method | expiresIn | permitted, or why not
          team-a      | acme-reports | shared/q3.pdf           | GET    | 12h       | permitted
          analytics   | acme-reports | tenants/analytics/q3    | GET    | 24h       | permitted
          team-a      | shared.data  | tenants/team-a/x        | GET    | 1h        | permitted
          team-a      | acme-reports | tenants/team-b/q3       | GET    | 1h        | key tenants/team-b/q3 starts with none of [shared/, tenants/team-a/]
          team-a      | other        | shared/q3               | GET    | 1h        | bucket other matches none of [acme-*, shared.data]
          team-a      | sharedxdata  | shared/q3               | GET    | 1h        | bucket sharedxdata matches none of [acme-*, shared.data]
          team-a      | acme-reports | shared/q3               | PUT    | 1h        | method PUT is not one of [GET]
          team-a      | acme-reports | shared/q3               | GET    | 24h1s     | expiresIn 24h1s is longer than 24h
          teamx       | acme-reports | shared/q3               | GET    | 1h        | no rule of the operator's policy covers namespace teamx
          team-b      | uploads      | team-b/in.csv           | PUT    | 1h        | permitted
          team-b      | uploads      | team-b/in.csv           | GET    | 1h        | rule at line 2: bucket uploads matches none of [acme-*, shared.data]; rule at line 7: method GET is not one of [PUT]
          labelled    | uploads      | labelled/in.csv         | PUT    | 30m       | permitted
          labelled    | uploads      | team-b/in.csv           | PUT    | 30m       | key team-b/in.csv starts with none of [labelled/]
          labelled    | uploads      | labelled/in.csv         | PUT    | 2h        | expiresIn 2h is longer than 1h
          team-c      | uploads      | team-c/in.csv           | PUT    | 1h        | bucket uploads matches none of [acme-*, shared.data]
          plain       | uploads      | plain/in.csv            | PUT    | 1h        | no rule of the operator's policy covers namespace plain
          ops         | anything     | any/key                 | PUT    | 168h      | permitted
          dev-1       | anything     | any/key                 | GET    | 1h        | permitted
          dev-10      | anything     | any/key                 | GET    | 1h        | no rule of the operator's policy covers namespace dev-10
          team-b      | uploads      | team-b/in.csv           | POST   | 1h        | permitted
          team-a      | acme-reports | shared/q3               | POST   | 1h        | method POST is not one of [GET] (POST is allowed by POST or PUT)
          forms       | drop         | in/x                    | POST   | 1h        | permitted
          forms       | drop         | in/x                    | PUT    | 1h        | method PUT is not one of [POST]
          """)
  void linksArePermittedOnlyWhenOneRuleAllowsEveryField(
      String namespace,
      String bucket,
      String key,
      HttpMethod method,
      String expiresIn,
      String expected) {
    Optional<String> denial =
        POLICY.denial(
            new RequestedAccess(namespace, bucket, key, method, GoDuration.parse(expiresIn)),
            name -> LABELS.getOrDefault(name, Map.of()));

    if (expected.equals("permitted")) {
      assertThat(denial).isEmpty();
    } else {
      assertThat(denial).hasValueSatisfying(message -> assertThat(message).contains(expected));
    }
  }

  @Test
  void aDenialQuotesOnlyTheRulesCoveringTheLinksNamespace() {
    Optional<String> denial =
        POLICY.denial(
            new RequestedAccess(
                "team-c", "elsewhere", "team-c/x", HttpMethod.GET, GoDuration.parse("1h")),
            name -> LABELS.getOrDefault(name, Map.of()));

    assertThat(denial)
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .contains("rule at line 2")
                    .doesNotContain("line 7")
                    .doesNotContain("line 13"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"rules: []", "'rules:\n  - namespaces: [other]\n    buckets: [\"*\"]'"})
  void aPolicyWithoutARuleForTheNamespacePermitsNothingThere(String yaml) {
    Policy policy = PolicyFile.parse(yaml, "policy.yaml");

    assertThat(
            policy.denial(
                new RequestedAccess("team-a", "b", "k", HttpMethod.GET, GoDuration.parse("1h")),
                name -> Map.of()))
        .isPresent();
  }
}
