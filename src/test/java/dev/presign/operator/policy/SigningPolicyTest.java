package dev.presign.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.presign.operator.api.v1alpha1.HttpMethod;
import dev.presign.operator.api.v1alpha1.LinkCredentials;
import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import dev.presign.operator.api.v1alpha1.PresignedObjectLinkSpec;
import dev.presign.operator.api.v1alpha1.Upload;
import dev.presign.operator.validation.LinkValidator;
import dev.presign.operator.validation.ValidLink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy in force: none, read at start, and read again when the file changes. */
class SigningPolicyTest {

  private static final String TEAM_A_ONLY =
      """
      rules:
        - namespaces: [team-a]
          buckets: [reports]
      """;
  private static final String TEAM_B_ONLY = TEAM_A_ONLY.replace("team-a", "team-b");

  @TempDir Path directory;
  private SigningPolicy policy;

  @AfterEach
  void close() {
    if (policy != null) {
      policy.close();
    }
  }

  private static ValidLink link(String bucket, LinkCredentials credentials) {
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket(bucket);
    spec.setKey("daily/latest.csv");
    spec.setCredentials(credentials);
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName("report").withNamespace("team-a").build());
    link.setSpec(spec);
    return LinkValidator.validate(link);
  }

  private SigningPolicy start(String yaml) throws IOException {
    Path file = directory.resolve("policy.yaml");
    Files.writeString(file, yaml);
    policy = new SigningPolicy(Optional.of(file), Duration.ofMillis(50), null);
    return policy;
  }

  @Test
  void withoutAPolicyFileEveryLinkMayUseTheOperatorsIdentity() {
    policy = new SigningPolicy(Optional.empty(), Duration.ofMillis(50), null);

    assertThat(policy.denial("team-a", link("reports", null))).isEmpty();
    assertThat(policy.denial("anywhere", link("any-bucket", null))).isEmpty();
  }

  /**
   * A POST key ending in ${filename} lets the uploader write any key with the part before it: the
   * key prefixes judge that part, not the placeholder.
   */
  @Test
  void aPostKeyWhoseUploaderPicksTheNameIsJudgedByThePartBeforeIt() throws IOException {
    start(
        """
        rules:
          - namespaces: [team-a]
            buckets: [uploads]
            keyPrefixes: ["incoming/team-a/"]
            methods: [PUT]
        """);

    assertThat(policy.denial("team-a", postLink("incoming/team-a/${filename}"))).isEmpty();
    assertThat(policy.denial("team-a", postLink("incoming/team-a/report.csv"))).isEmpty();
    assertThat(policy.denial("team-a", postLink("incoming/${filename}")))
        .hasValueSatisfying(
            denial -> assertThat(denial).contains("key incoming/ starts with none of"));
  }

  private static ValidLink postLink(String key) {
    PresignedObjectLinkSpec spec = new PresignedObjectLinkSpec();
    spec.setBucket("uploads");
    spec.setKey(key);
    spec.setMethod(HttpMethod.POST);
    Upload upload = new Upload();
    upload.setMaxSize(new Quantity("1Mi"));
    spec.setUpload(upload);
    PresignedObjectLink link = new PresignedObjectLink();
    link.setMetadata(new ObjectMetaBuilder().withName("drop").withNamespace("team-a").build());
    link.setSpec(spec);
    return LinkValidator.validate(link);
  }

  @Test
  void linksWithTheirOwnCredentialsAreNotThePolicysBusiness() throws IOException {
    start("rules: []");
    LinkCredentials ownServiceAccount = new LinkCredentials();
    ownServiceAccount.setServiceAccountName("reader");

    assertThat(policy.denial("team-a", link("reports", null))).isPresent();
    assertThat(policy.denial("team-a", link("reports", ownServiceAccount))).isEmpty();
  }

  @Test
  void aMalformedFileStopsTheStartNamingTheLine() {
    assertThatThrownBy(() -> start("rules:\n  - namespaces: [team-a]\n    bukets: [reports]\n"))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageContaining("line 3: unknown field `bukets`");
  }

  @Test
  void aMissingFileStopsTheStart() {
    Path missing = directory.resolve("absent.yaml");

    assertThatThrownBy(() -> new SigningPolicy(Optional.of(missing), Duration.ofMillis(50), null))
        .isInstanceOf(PolicyFileException.class)
        .hasMessageContaining("cannot read the policy file " + missing);
  }

  @Test
  void aChangedFileIsAppliedAndAnnouncedAndABrokenOneKeepsTheLastGoodPolicy() throws IOException {
    start(TEAM_A_ONLY);
    List<Predicate<String>> announced = new CopyOnWriteArrayList<>();
    policy.onChange(announced::add);
    assertThat(policy.denial("team-a", link("reports", null))).isEmpty();

    Files.writeString(directory.resolve("policy.yaml"), TEAM_B_ONLY);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(policy.denial("team-a", link("reports", null))).isPresent());
    assertThat(announced).singleElement().matches(namespaces -> namespaces.test("team-a"));

    Files.writeString(directory.resolve("policy.yaml"), "rules:\n  - namespaces: [team-a\n");
    await()
        .pollDelay(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(policy.denial("team-a", link("reports", null))).isPresent();
              assertThat(policy.denial("team-b", link("reports", null))).isEmpty();
            });
    assertThat(announced).as("a broken file changes nothing").hasSize(1);
  }
}
