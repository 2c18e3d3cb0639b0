package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An S3 object shared through a presigned URL that the operator keeps valid in a Secret. */
@Group(PresignedObjectLink.GROUP)
@Version("v1alpha1")
@Plural("presignedobjectlinks")
@ShortNames({"plink", "plinks"})
@Categories("presign")
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.bucket", type = Type.STRING)
@AdditionalPrinterColumn(name = "Key", jsonPath = ".spec.key", type = Type.STRING)
@AdditionalPrinterColumn(name = "Method", jsonPath = ".spec.method", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = Type.STRING)
// Expiry and renewal lie in the future, which kubectl's "date" columns print as <invalid>; as
// strings they show the RFC 3339 time.
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".status.expiresAt", type = Type.STRING)
@AdditionalPrinterColumn(name = "Renewal", jsonPath = ".status.renewalTime", type = Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class PresignedObjectLink
    extends CustomResource<PresignedObjectLinkSpec, PresignedObjectLinkStatus>
    implements Namespaced {

  public static final String GROUP = "presign.dev";

  // Overridden only to describe spec and status for `kubectl explain`.
  @Override
  @JsonPropertyDescription(
      "What to sign and where to keep it: the object, the method, the URL's lifetime, the"
          + " credentials and the Secret.")
  public PresignedObjectLinkSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "What the operator last did: the Ready condition, the Secret, and the life of the URL it"
          + " holds (never the URL itself).")
  public PresignedObjectLinkStatus getStatus() {
    return super.getStatus();
  }
}
