package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** Where, and under which key, the URL is written. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTemplate {

  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Name of the Secret the operator creates and owns, in the link's namespace. Default: the"
          + " link's name. Renaming it deletes the old Secret.")
  private String name;

  @Size(min = 1, max = 253)
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the Secret's data that holds the URL. Default: url.")
  private String urlKey;

  @JsonPropertyDescription("Labels added to the Secret.")
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations added to the Secret.")
  private Map<String, String> annotations;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUrlKey() {
    return urlKey;
  }

  public void setUrlKey(String urlKey) {
    this.urlKey = urlKey;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
