package dev.latchkey.server.http.exchange;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reading JSON request bodies strictly and writing JSON answers: the one place for both. */
public final class Json {
  /** Larger request bodies are refused with 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  /** How much of an oversized body is read and thrown away so that the client gets its 413. */
  private static final int MAX_DRAINED_BYTES = 1024 * 1024;

  private static final ObjectMapper MAPPER = mapper();

  private Json() {}

  private static ObjectMapper mapper() {
    ObjectMapper mapper =
        JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(16)
                .maxStringLength(MAX_BODY_BYTES)
                .maxNumberLength(100)
                .build());
    return mapper;
  }

  /**
   * The request body as a JSON object whose fields are all among {@code allowed} and whose values
   * are strings no longer than {@code maxLength} characters.
   *
   * @throws ApiError 415 for another content type, 413 for a body over 64 KiB, 400 otherwise
   */
  public static Map<String, String> readStringFields(
      Context ctx, Set<String> allowed, int maxLength) {
    return read(ctx, allowed, maxLength, true);
  }

  /** As {@link #readStringFields}, but each field may be left out. */
  public static Map<String, String> readOptionalStringFields(
      Context ctx, Set<String> allowed, int maxLength) {
    return read(ctx, allowed, maxLength, false);
  }

  private static Map<String, String> read(
      Context ctx, Set<String> allowed, int maxLength, boolean allRequired) {
    return stringFields(readObject(ctx), allowed, maxLength, allRequired);
  }

  /**
   * The request body as a JSON object, its fields not yet checked: for bodies that carry a nested
   * object (a passkey's credential).
   *
   * @throws ApiError 415 for another content type, 413 for a body over 64 KiB, 400 otherwise
   */
  public static ObjectNode readObject(Context ctx) {
    requireJsonContentType(ctx);
    byte[] body = readLimited(ctx);
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest("The request body is not valid JSON.");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (root == null || root.isMissingNode()) {
      throw ApiError.badRequest("The request body is empty; a JSON object is expected.");
    }
    if (!root.isObject()) {
      throw ApiError.badRequest("The request body must be a JSON object.");
    }
    return (ObjectNode) root;
  }

  /**
   * The fields of an object read by {@link #readObject}, all among {@code allowed} and strings no
   * longer than {@code maxLength}; each required when {@code allRequired}.
   */
  public static Map<String, String> stringFields(
      ObjectNode root, Set<String> allowed, int maxLength, boolean allRequired) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      if (!allowed.contains(field.getKey())) {
        throw ApiError.badRequest("Unknown field '" + printable(field.getKey()) + "'.");
      }
      if (!field.getValue().isTextual()) {
        throw ApiError.badRequest("Field '" + field.getKey() + "' must be a string.");
      }
      String value = field.getValue().textValue();
      if (value.length() > maxLength) {
        throw ApiError.badRequest("Field '" + field.getKey() + "' is too long.");
      }
      fields.put(field.getKey(), value);
    }
    for (String name : allRequired ? allowed : Set.<String>of()) {
      if (!fields.containsKey(name)) {
        throw ApiError.badRequest("Field '" + name + "' is required.");
      }
    }
    return fields;
  }

  /** A JSON value as text (a nested object handed on to a parser of its own). */
  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON value", e);
    }
  }

  /**
   * The one content-type check: {@code application/json} (any parameters), which an HTML form on
   * another site cannot send, else {@code 415}.
   */
  public static void requireJsonContentType(Context ctx) {
    String type = ctx.header("Content-Type");
    String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mime.equals("application/json")) {
      throw new ApiError(
          415, "unsupported_media_type", "Send the request body as application/json.");
    }
  }

  private static byte[] readLimited(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared > MAX_BODY_BYTES) {
        throw tooLarge(in);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_BODY_BYTES) {
          throw tooLarge(in);
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiError.badRequest("The request body could not be read.");
    }
  }

  /**
   * The 413, after reading and discarding a bounded rest of the body: a server that answers while
   * the client is still sending, then closes, makes the client see a reset instead of the answer.
   */
  private static ApiError tooLarge(InputStream rest) throws IOException {
    byte[] discard = new byte[8192];
    long drained = 0;
    int n;
    while (drained < MAX_DRAINED_BYTES && (n = rest.read(discard)) != -1) {
      drained += n;
    }
    return tooLarge();
  }

  private static ApiError tooLarge() {
    return ApiError.payloadTooLarge(
        "The request body is larger than " + MAX_BODY_BYTES + " bytes.");
  }

  private static String printable(String name) {
    String clean = name.replaceAll("[^\\p{Alnum}_.-]", "?");
    return clean.length() > 40 ? clean.substring(0, 40) + "..." : clean;
  }

  /** Writes a JSON answer. */
  public static void write(Context ctx, int status, Object body) {
    try {
      ctx.status(status)
          .contentType("application/json; charset=utf-8")
          .result(MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  /** Writes an already serialised JSON answer. */
  public static void writeRaw(Context ctx, int status, String json) {
    ctx.status(status).contentType("application/json; charset=utf-8").result(json);
  }

  /** Writes {@code {"error", "message"}} with the error's status and headers. */
  public static void writeError(Context ctx, ApiError error) {
    error.headers().forEach(ctx::header);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.error());
    body.put("message", error.getMessage());
    body.putAll(error.extraFields());
    write(ctx, error.status(), body);
  }
}
