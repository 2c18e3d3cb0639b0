package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Response headers a GET URL asks S3 to return; each becomes a signed response-* parameter. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResponseHeaders {

  @Size(max = 255)
  @JsonPropertyDescription("Content-Type of the download (response-content-type).")
  private String contentType;

  @Size(max = 1024)
  @JsonPropertyDescription(
      "Content-Disposition of the download, e.g. attachment; filename=\"q3.pdf\""
          + " (response-content-disposition).")
  private String contentDisposition;

  @Size(max = 255)
  @JsonPropertyDescription("Cache-Control of the download (response-cache-control).")
  private String cacheControl;

  @Size(max = 255)
  @JsonPropertyDescription("Content-Language of the download (response-content-language).")
  private String contentLanguage;

  @Size(max = 255)
  @JsonPropertyDescription("Content-Encoding of the download (response-content-encoding).")
  private String contentEncoding;

  public String getContentType() {
    return contentType;
  }

  public void setContentType(String contentType) {
    this.contentType = contentType;
  }

  public String getContentDisposition() {
    return contentDisposition;
  }

  public void setContentDisposition(String contentDisposition) {
    this.contentDisposition = contentDisposition;
  }

  public String getCacheControl() {
    return cacheControl;
  }

  public void setCacheControl(String cacheControl) {
    this.cacheControl = cacheControl;
  }

  public String getContentLanguage() {
    return contentLanguage;
  }

  public void setContentLanguage(String contentLanguage) {
    this.contentLanguage = contentLanguage;
  }

  public String getContentEncoding() {
    return contentEncoding;
  }

  public void setContentEncoding(String contentEncoding) {
    this.contentEncoding = contentEncoding;
  }
}
