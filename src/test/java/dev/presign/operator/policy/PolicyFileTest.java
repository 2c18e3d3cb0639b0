package dev.presign.operator.policy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A policy file the operator does not fully understand is refused, naming the line at fault. */
class PolicyFileTest {

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # the file, with \\n for line breaks                                        | line    | message
          'rules:\\n  - namespaces: [team-a]\\n    bucket: [acme]'                      | line 3: | unknown field `bucket`
          'rule:\\n  - namespaces: [team-a]'                                            | line 1: | unknown field `rule`
          'rules:\\n  - namespaces: [team-a]\\n    buckets: [acme]\\n    methods: [GET, DELETE]' | line 4: | DELETE
          'rules:\\n  - namespaces: [team-a]\\n    buckets: [acme]\\n    maxExpiresIn: 1d' | line 4: | '1d' is not a duration
          'rules:\\n  - namespaces: [team-a]\\n    buckets: [acme]\\n    keyPrefixes: [\"${user}/\"]' | line 4: | unknown variable ${user}
          'rules:\\n  - namespaces: [team-a]\\n    buckets: [\"\"]'                     | line 3: | must not be empty
          'rules:\\n  - namespaces: [team-a]\\n    methods: [GET]'                      | line 2: | `buckets` is required
          'rules:\\n  - buckets: [acme]'                                                | line 2: | either `namespaces` or `namespaceSelector`
          'rules:\\n  - namespaces: [a]\\n    namespaceSelector: {matchLabels: {}}\\n    buckets: [x]' | line 2: | either `namespaces` or `namespaceSelector`
          'rules:\\n  - namespaceSelector:\\n      matchExpressions: []\\n    buckets: [x]' | line 3: | unknown field `matchExpressions`
          'rules:\\n  - namespaces: [a]\\n    buckets: [x]\\n    buckets: [y]'            | line 4: | Duplicate field 'buckets'
          'rules:\\n  - namespaces: [a]\\n    buckets: [x]\\n  -'                         | line 4: | empty rule
          'rules:\\n  - namespaces: [a\\n    buckets: [x]'                              | line 2: | while parsing a flow sequence: expected
          """)
  void malformedFilesAreRefusedNamingTheLine(String yaml, String line, String message) {
    assertThatThrownBy(
            () -> PolicyFile.parse(yaml.replace("\\n", "\n"), "/etc/presign/policy.yaml"))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageStartingWith("policy file /etc/presign/policy.yaml, " + line)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "[{0}]")
  @CsvSource({"''", "'# rules come later'"})
  void anEmptyFileIsRefusedRatherThanReadAsPermittingNothing(String yaml) {
    assertThatThrownBy(() -> PolicyFile.parse(yaml, "policy.yaml"))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageContaining("is empty");
  }
}
