package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** Where, and under which key, the URL is written, and what is written beside it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.data) || !((has(self.urlKey) ? self.urlKey : 'url') in self.data)",
    message = "spec.secretTemplate.data may not write the URL's own key (urlKey)",
    fieldPath = ".data",
    reason = "FieldValueForbidden")
public class SecretTemplate {

  /** Templates a link may have, and characters each; the API server refuses more. */
  public static final int MAX_TEMPLATES = 16;

  public static final int MAX_TEMPLATE_LENGTH = 16384;

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

  @Size(max = MAX_TEMPLATES)
  @ValidationRule(
      value = "self.all(k, size(k) <= 253 && k.matches('^[-._a-zA-Z0-9]+$'))",
      message =
          "spec.secretTemplate.data: each key must be a Secret data key: letters, digits, '-', '_'"
              + " and '.', at most 253 characters",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self.all(k, !(k in ['url', 'expiresAt', 'method', 'fields']))",
      message =
          "spec.secretTemplate.data may not write url, expiresAt, method or fields: the operator"
              + " writes them",
      reason = "FieldValueForbidden")
  @ValidationRule(
      value = "self.all(k, size(self[k]) <= " + MAX_TEMPLATE_LENGTH + ")",
      message = "spec.secretTemplate.data: each template is at most 16384 characters",
      reason = "FieldValueInvalid")
  @JsonPropertyDescription(
      "More keys of the Secret, each rendered from a Mustache template with the URL it holds, in"
          + " the same update as the URL: a reader never sees a new URL beside an old key. A"
          + " template may use {{ url }}, {{ expiresAt }}, {{ issuedAt }}, {{ method }},"
          + " {{ bucket }}, {{ key }}, {{ region }} and, for POST links, {{ fields }} (the form"
          + " fields as a JSON object) and {{ fields.<name> }}; nothing is escaped unless a section"
          + " asks: {{#json}}..{{/json}}, {{#yaml}}..{{/yaml}}, {{#shell}}..{{/shell}},"
          + " {{#urlencode}}..{{/urlencode}}. At most 16 keys, 16384 characters each; url,"
          + " expiresAt, method, fields and urlKey are the operator's. Changing a template"
          + " rewrites the keys without signing a new URL.")
  private Map<String, String> data;

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

  public Map<String, String> getData() {
    return data;
  }

  public void setData(Map<String, String> data) {
    this.data = data;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
