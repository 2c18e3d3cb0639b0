package dev.presign.operator.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * How GitOps tools judge a link: kstatus (Flux, kpt), as its rules for custom resources read, and
 * the Argo CD health check the chart ships, run as Argo CD runs it (Lua, with the object as {@code
 * obj}).
 */
public final class HealthRules {

  public static final Path VALUES = Path.of("charts/presign-operator/values.yaml");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** kstatus results for custom resources (sigs.k8s.io/cli-utils/pkg/kstatus). */
  public enum KStatus {
    InProgress,
    Failed,
    Current,
    Terminating
  }

  /** An Argo CD health status and its message. */
  public record ArgoHealth(String status, String message) {}

  private HealthRules() {}

  /**
   * kstatus' generic rules: deletion, then observedGeneration, then the Reconciling and Stalled
   * conditions; nothing else of the status counts, Ready included.
   */
  public static KStatus kstatus(Object resource) {
    JsonNode object = JSON.valueToTree(resource);
    if (object.path("metadata").hasNonNull("deletionTimestamp")) {
      return KStatus.Terminating;
    }
    JsonNode status = object.path("status");
    if (status.has("observedGeneration")
        && status.get("observedGeneration").asLong()
            != object.path("metadata").path("generation").asLong()) {
      return KStatus.InProgress;
    }
    if (conditionIsTrue(status, "Reconciling")) {
      return KStatus.InProgress;
    }
    if (conditionIsTrue(status, "Stalled")) {
      return KStatus.Failed;
    }
    return KStatus.Current;
  }

  /** What the chart's Argo CD health check says of the resource. */
  public static ArgoHealth argoCd(Object resource) {
    Globals lua = JsePlatform.standardGlobals();
    lua.set("obj", toLua(JSON.valueToTree(resource)));
    LuaValue result = lua.load(healthCheckScript(), "health.lua").call();
    return new ArgoHealth(result.get("status").tojstring(), result.get("message").optjstring(null));
  }

  /** The Lua of the chart value argocd.healthCheck. */
  public static String healthCheckScript() {
    try {
      return new YAMLMapper()
          .readTree(Files.readString(VALUES))
          .path("argocd")
          .path("healthCheck")
          .asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean conditionIsTrue(JsonNode status, String type) {
    for (JsonNode condition : status.path("conditions")) {
      if (type.equals(condition.path("type").asText())) {
        return "True".equals(condition.path("status").asText());
      }
    }
    return false;
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables, arrays indexed from 1. */
  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }
}
