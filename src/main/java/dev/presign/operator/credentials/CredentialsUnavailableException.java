package dev.presign.operator.credentials;

/** No usable signing credentials; the message says which source failed and why. */
public class CredentialsUnavailableException extends RuntimeException {

  public CredentialsUnavailableException(String message) {
    super(message);
  }

  public CredentialsUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
