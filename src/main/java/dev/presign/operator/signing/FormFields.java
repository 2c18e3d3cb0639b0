package dev.presign.operator.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The form fields of a POST link as the Secret holds them (DESIGN §2, key {@code fields}): one JSON
 * object of strings, in the order the form sends them.
 */
public final class FormFields {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> FIELDS =
      new TypeReference<>() {};

  private FormFields() {}

  /** The fields as compact JSON text, in their order. */
  public static String toJson(Map<String, String> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings is always JSON", e);
    }
  }

  /**
   * The fields of JSON text, in their order.
   *
   * @throws IllegalArgumentException when the text is not a JSON object of strings
   */
  public static Map<String, String> fromJson(String json) {
    try {
      return JSON.readValue(json, FIELDS);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object of strings", e);
    }
  }
}
