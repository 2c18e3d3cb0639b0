package dev.presign.operator.secret;

import static org.assertj.core.api.Assertions.assertThat;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Secret carries the labels of its link that the selector names, and no others. */
class ShardTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          shard=a                        | {shard=a}
          shard in (a,b), tier!=gold     | {shard=a, tier=silver}
          !missing,team notin (x, y)     | {team=analytics}
          example.com/shard==a           | {example.com/shard=a}
          """)
  void theSecretCarriesTheLabelsTheSelectorNames(String selector, String carried) {
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(
        new ObjectMetaBuilder()
            .withLabels(
                Map.of(
                    "shard", "a",
                    "tier", "silver",
                    "team", "analytics",
                    "example.com/shard", "a",
                    "app", "reports"))
            .build());

    Shard shard = Shard.of(Optional.of(selector));

    assertThat(shard.labelsOf(link)).hasToString(carried);
    assertThat(shard.secretSelector())
        .isEqualTo("app.kubernetes.io/managed-by=presign-operator," + selector);
  }

  @ParameterizedTest
  @CsvSource({"''", "'  '"})
  void withoutASelectorEveryLinkIsServedAndSecretsCarryNoMore(String selector) {
    Shard shard = Shard.of(Optional.of(selector));

    assertThat(shard.linkSelector()).isEmpty();
    assertThat(shard.secretSelector()).isEqualTo("app.kubernetes.io/managed-by=presign-operator");
    assertThat(shard.labelsOf(new PresignedObjectLink())).isEmpty();
  }
}
