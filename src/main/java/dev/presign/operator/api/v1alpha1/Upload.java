package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** The conditions a POST link's signed policy puts on the upload: S3 refuses any other. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.minSize) || !isQuantity(string(self.minSize))"
            + " || !isQuantity(string(self.maxSize))"
            + " || quantity(string(self.minSize)).compareTo(quantity(string(self.maxSize))) <= 0",
    message = "spec.upload.minSize must not be larger than spec.upload.maxSize",
    fieldPath = ".minSize",
    reason = "FieldValueInvalid")
public class Upload {

  @Required
  @ValidationRule(
      value =
          "isQuantity(string(self)) && quantity(string(self)).isInteger()"
              + " && quantity(string(self)).asInteger() > 0"
              + " && quantity(string(self)).compareTo(quantity('5Gi')) <= 0",
      message =
          "spec.upload.maxSize must be a whole number of bytes between 1 and 5Gi (S3's POST"
              + " limit), e.g. 10Mi")
  @JsonPropertyDescription(
      "Largest upload S3 accepts, in bytes, as a Kubernetes quantity (10Mi, 500k, 1048576)."
          + " At most 5Gi, S3's limit for a POST upload. A larger upload is refused with"
          + " EntityTooLarge. Required.")
  private Quantity maxSize;

  @ValidationRule(
      value =
          "isQuantity(string(self)) && quantity(string(self)).isInteger()"
              + " && quantity(string(self)).asInteger() > 0",
      message = "spec.upload.minSize must be a whole number of bytes of at least 1, e.g. 1")
  @JsonPropertyDescription(
      "Smallest upload S3 accepts, in bytes, as a Kubernetes quantity; not larger than maxSize."
          + " A smaller upload is refused with EntityTooSmall. Default: no lower bound.")
  private Quantity minSize;

  @Size(min = 1, max = 255)
  @Pattern("^[^\\s]+$")
  @JsonPropertyDescription(
      "Content-Type the upload must have: exact (application/pdf), or a prefix when it ends"
          + " with '/' (image/ allows image/png and image/jpeg). The uploader sends it as the"
          + " form's Content-Type field. Default: any.")
  private String contentType;

  @ValidationRule(
      value = "self in [200, 201, 204]",
      message = "spec.upload.successActionStatus must be 200, 201 or 204")
  @JsonPropertyDescription(
      "HTTP status S3 answers a successful upload with: 200, 201 (with an XML document naming"
          + " the object) or 204. Default: S3's 204.")
  private Integer successActionStatus;

  public Quantity getMaxSize() {
    return maxSize;
  }

  public void setMaxSize(Quantity maxSize) {
    this.maxSize = maxSize;
  }

  public Quantity getMinSize() {
    return minSize;
  }

  public void setMinSize(Quantity minSize) {
    this.minSize = minSize;
  }

  public String getContentType() {
    return contentType;
  }

  public void setContentType(String contentType) {
    this.contentType = contentType;
  }

  public Integer getSuccessActionStatus() {
    return successActionStatus;
  }

  public void setSuccessActionStatus(Integer successActionStatus) {
    this.successActionStatus = successActionStatus;
  }
}
