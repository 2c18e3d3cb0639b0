package dev.presign.operator.validation;

/** A spec the operator cannot act on; the message starts with the offending field. */
public class InvalidSpecException extends RuntimeException {

  private final String field;

  public InvalidSpecException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
