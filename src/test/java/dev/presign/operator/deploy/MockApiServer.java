package dev.presign.operator.deploy;

import dev.presign.operator.api.v1alpha1.PresignedObjectLink;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The mock API server of the @QuarkusTests here, set up as a user's cluster would be: with the CRD
 * installed. Test code talks to it under its own user agent, so that what the operator asks can be
 * told apart (OperatorRequestsIT).
 */
public class MockApiServer implements Consumer<KubernetesServer> {

  static final String TEST_USER_AGENT = "presign-operator-tests";

  /** Where the SDK posts its SelfSubjectRulesReview. */
  public static final String RULES_REVIEWS =
      "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  @Override
  public void accept(KubernetesServer server) {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Manifests.read(Path.of("crds/presignedobjectlinks.presign.dev-v1.yml")),
            CustomResourceDefinition.class);
    testClient(server).resource(crd).create();
  }

  /**
   * With leader election, the SDK first checks its Lease rights with a SelfSubjectRulesReview,
   * which the mock cannot answer by itself; it answers as RBAC would with the leader election Role.
   */
  public static class WithLeaseRights extends MockApiServer {
    @Override
    public void accept(KubernetesServer server) {
      server.expect().post().withPath(RULES_REVIEWS).andReturn(201, leaseRightsReview()).always();
      super.accept(server);
    }
  }

  /** The review's answer under the leader election Role. */
  public static SelfSubjectRulesReview leaseRightsReview() {
    return new SelfSubjectRulesReviewBuilder()
        .withNewStatus()
        .addNewResourceRule()
        .withApiGroups("coordination.k8s.io")
        .withResources("leases")
        .withVerbs("get", "create", "update", "patch")
        .endResourceRule()
        .withIncomplete(false)
        .endStatus()
        .build();
  }

  static KubernetesClient testClient(KubernetesServer server) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(server.getClient().getConfiguration())
                .withUserAgent(TEST_USER_AGENT)
                .build())
        .build();
  }

  /**
   * Static keys in the link's namespace, so that signing needs no AWS identity (and is offline).
   */
  static Secret keys(String namespace) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName("s3-keys")
        .endMetadata()
        .withData(
            Map.of(
                "accessKeyId", base64("AKIDEXAMPLE"),
                "secretAccessKey", base64("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")))
        .build();
  }

  /**
   * A GET link signed with {@link #keys}. Not verified: it names a bucket of AWS, which the tests
   * do not reach.
   */
  static PresignedObjectLink link(String namespace, String name, String yamlSpec) {
    return Serialization.unmarshal(
        """
        apiVersion: presign.dev/v1alpha1
        kind: PresignedObjectLink
        metadata:
          name: %s
          namespace: %s
        spec:
          bucket: acme-reports
          region: eu-west-1
          credentials:
            secretRef:
              name: s3-keys
          verify: false
        %s
        """
            .formatted(name, namespace, yamlSpec.indent(2)),
        PresignedObjectLink.class);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
