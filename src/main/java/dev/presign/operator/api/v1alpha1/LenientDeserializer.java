package dev.presign.operator.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the spec and status of a link whatever the API server holds (DESIGN §1, "Validation happens
 * twice"): a value of the wrong JSON type or an unknown enum constant is left out and recorded as a
 * problem naming its field, instead of failing the whole object. A failure here would stop the
 * informer's watch, and its list at start-up, for every link of the cluster.
 *
 * <p>The problems of a spec go to {@link PresignedObjectLinkSpec#getReadProblems()}, where the
 * validation of the reconciler reports them as InvalidSpec; those of a status are dropped, as the
 * operator writes the status anew. Unknown fields are ignored, and nulls read as absent.
 */
public class LenientDeserializer extends JsonDeserializer<Object>
    implements ContextualDeserializer {

  private static final int MAX_QUOTED_VALUE = 64;

  private final JavaType type;
  private final String path;
  // Jackson's introspection of a type, which reflects on it anew at each call, is done once per
  // type: it was the largest cost of reading a link. The mapper keeps this deserializer, so the
  // descriptions are those of its own configuration.
  private final Map<JavaType, BeanDescription> descriptions;

  public LenientDeserializer() {
    this(null, null, new ConcurrentHashMap<>());
  }

  private LenientDeserializer(
      JavaType type, String path, Map<JavaType, BeanDescription> descriptions) {
    this.type = type;
    this.path = path;
    this.descriptions = descriptions;
  }

  @Override
  public JsonDeserializer<?> createContextual(
      DeserializationContext context, BeanProperty property) {
    JavaType target = context.getContextualType();
    return new LenientDeserializer(
        target, property == null ? "spec" : property.getName(), descriptions);
  }

  @Override
  public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode node = context.readTree(parser);
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> unreadable = new LinkedHashMap<>();
    Reading reading = new Reading(context, problems, descriptions);
    Object read =
        node.isObject() && type.hasRawClass(PresignedObjectLinkSpec.class)
            ? reading.bean(node, type, path, unreadable)
            : reading.read(node, type, path);
    // Not an object at all: an empty one, which carries the problem.
    Object value = read != null ? read : reading.description(type).instantiateBean(true);
    if (value instanceof PresignedObjectLinkSpec spec) {
      spec.setReadProblems(List.copyOf(problems));
      spec.setUnreadable(unreadable);
    }
    return value;
  }

  /** One object's reading, collecting the problems of its fields. */
  private record Reading(
      DeserializationContext context,
      List<String> problems,
      Map<JavaType, BeanDescription> descriptions) {

    BeanDescription description(JavaType type) {
      return descriptions.computeIfAbsent(
          type,
          t -> {
            BeanDescription description = context.getConfig().introspect(t);
            // Collected here, once, as the description collects its properties lazily and
            // unsynchronized; readers on other threads then only read them.
            description.findProperties();
            return description;
          });
    }

    Object read(JsonNode node, JavaType type, String field) {
      if (node == null || node.isNull() || node.isMissingNode()) {
        return null;
      }
      Class<?> raw = type.getRawClass();
      if (raw == String.class) {
        return expect(node, JsonNodeType.STRING, field) ? node.textValue() : null;
      }
      if (raw == Boolean.class || raw == boolean.class) {
        return expect(node, JsonNodeType.BOOLEAN, field) ? node.booleanValue() : null;
      }
      if (raw == Long.class || raw == long.class || raw == Integer.class || raw == int.class) {
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
          problems.add(field + ": expected a whole number, got " + describe(node));
          return null;
        }
        if (raw == Long.class || raw == long.class) {
          return node.longValue();
        }
        // Not a conditional expression: that would promote the int to a long.
        if (!node.canConvertToInt()) {
          problems.add(field + ": " + node + " is out of range");
          return null;
        }
        return node.intValue();
      }
      if (raw.isEnum()) {
        return constant(node, raw, field);
      }
      if (type.isCollectionLikeType()) {
        return list(node, type.getContentType(), field);
      }
      if (type.isMapLikeType()) {
        return map(node, type.getContentType(), field);
      }
      if (isApiType(type)) {
        return bean(node, type, field, null);
      }
      try {
        return context.readTreeAsValue(node, type);
      } catch (IOException | IllegalArgumentException e) {
        problems.add(field + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
        return null;
      }
    }

    /**
     * @param unreadable where the fields that could not be read are kept as stored, or null
     */
    Object bean(JsonNode node, JavaType type, String field, Map<String, JsonNode> unreadable) {
      if (!expect(node, JsonNodeType.OBJECT, field)) {
        return null;
      }
      BeanDescription description = description(type);
      Object bean = description.instantiateBean(true);
      for (BeanPropertyDefinition property : description.findProperties()) {
        AnnotatedMember mutator = property.getNonConstructorMutator();
        JsonNode child = node.get(property.getName());
        if (mutator == null || child == null || child.isNull()) {
          continue; // absent or null: the field keeps its default
        }
        int before = problems.size();
        Object value = read(child, property.getPrimaryType(), field + "." + property.getName());
        mutator.fixAccess(true);
        if (unreadable != null && problems.size() > before) {
          // Kept as stored, and no default in its place that a copy would write beside it.
          unreadable.put(property.getName(), child);
          mutator.setValue(bean, null);
        } else if (value != null) {
          mutator.setValue(bean, value);
        }
      }
      return bean;
    }

    private List<Object> list(JsonNode node, JavaType elementType, String field) {
      if (!expect(node, JsonNodeType.ARRAY, field)) {
        return null;
      }
      List<Object> list = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        // An unreadable element is left out whole, so that no half-read entry is acted upon.
        int before = problems.size();
        Object element = read(node.get(i), elementType, field + "[" + i + "]");
        if (element != null && problems.size() == before) {
          list.add(element);
        }
      }
      return list;
    }

    private Map<String, Object> map(JsonNode node, JavaType valueType, String field) {
      if (!expect(node, JsonNodeType.OBJECT, field)) {
        return null;
      }
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        Object value = read(entry.getValue(), valueType, field + "[" + entry.getKey() + "]");
        if (value != null) {
          map.put(entry.getKey(), value);
        }
      }
      return map;
    }

    private Object constant(JsonNode node, Class<?> enumType, String field) {
      Object[] constants = enumType.getEnumConstants();
      if (node.isTextual()) {
        for (Object constant : constants) {
          if (((Enum<?>) constant).name().equals(node.textValue())) {
            return constant;
          }
        }
      }
      List<String> names = Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).toList();
      problems.add(
          field
              + ": "
              + quote(node)
              + " is not "
              + String.join(", ", names.subList(0, names.size() - 1))
              + " or "
              + names.get(names.size() - 1));
      return null;
    }

    private boolean expect(JsonNode node, JsonNodeType expected, String field) {
      if (node.getNodeType() == expected) {
        return true;
      }
      problems.add(field + ": expected " + KINDS.get(expected) + ", got " + describe(node));
      return false;
    }
  }

  private static final Map<JsonNodeType, String> KINDS =
      Map.of(
          JsonNodeType.STRING, "a string",
          JsonNodeType.BOOLEAN, "true or false",
          JsonNodeType.NUMBER, "a number",
          JsonNodeType.OBJECT, "an object",
          JsonNodeType.ARRAY, "a list");

  private static boolean isApiType(JavaType type) {
    return type.getRawClass()
        .getPackageName()
        .equals(PresignedObjectLinkSpec.class.getPackageName());
  }

  private static String describe(JsonNode node) {
    String kind = KINDS.getOrDefault(node.getNodeType(), node.getNodeType().name().toLowerCase());
    return node.isValueNode() ? kind + " (" + quote(node) + ")" : kind;
  }

  private static String quote(JsonNode node) {
    String text = node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
    return text.length() > MAX_QUOTED_VALUE ? text.substring(0, MAX_QUOTED_VALUE) + "..." : text;
  }
}
