package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the signing credentials of one link come from; both fields refer to its own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.serviceAccountName) && has(self.secretRef))",
    message = "spec.credentials takes either serviceAccountName or secretRef, not both")
public class LinkCredentials {

  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Sign as the IAM role of this ServiceAccount (its eks.amazonaws.com/role-arn annotation),"
          + " in the link's namespace. The operator requests a token for it and assumes the role"
          + " through STS.")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "Sign with static keys from a Secret in the link's namespace: accessKeyId,"
          + " secretAccessKey and optionally sessionToken.")
  private SecretKeysReference secretRef;

  public String getServiceAccountName() {
    return serviceAccountName;
  }

  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  public SecretKeysReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeysReference secretRef) {
    this.secretRef = secretRef;
  }
}
