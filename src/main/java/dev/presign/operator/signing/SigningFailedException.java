package dev.presign.operator.signing;

/** The SDK could not produce a URL; the message never holds one. */
public class SigningFailedException extends RuntimeException {

  public SigningFailedException(String message, Throwable cause) {
    super(UrlRedaction.redact(message), cause);
  }
}
