package dev.llmgateway.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.tokens.internal.ImageSize;
import dev.llmgateway.tokens.internal.Json;
import dev.llmgateway.tokens.internal.OpenAiModels;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Counts tokens the way OpenAI bills Chat Completions, with OpenAI's own tokenizers through JTokkit
 * ({@code com.knuddels:jtokkit}, an optional dependency: add it to use this class). {@code o200k_base}
 * for GPT-4o, GPT-4.1, GPT-4.5, GPT-5 and the o-series; {@code cl100k_base} for GPT-4, GPT-3.5 and the
 * embedding models; {@code o200k_base} for a model it does not know.
 *
 * <p><b>Messages</b> follow OpenAI's cookbook "How to count tokens with tiktoken": 3 tokens per message,
 * plus the role's tokens, the content's tokens, and the name's tokens plus 1 when a message has a name;
 * 3 more prime the reply. For the cookbook's six-message example this gives 124 tokens on GPT-4o and 129
 * on GPT-4, which is what the OpenAI API reported there. Parts the cookbook does not cover are
 * approximations: a tool call costs its name's and arguments' tokens plus {@value #TOKENS_PER_TOOL_CALL};
 * a tool result its content's tokens; thinking parts nothing (Chat Completions does not send them back);
 * images by {@link ImageTokens} with the model's formula.
 *
 * <p><b>Tools</b> follow the cookbook's {@code num_tokens_for_tools}: per tool {@value #GPT_4O_TOOL_TOKENS}
 * tokens on o200k models ({@value #GPT_4_TOOL_TOKENS} on cl100k) plus {@code name:description} (a final
 * period dropped); per parameter property {@value #PROPERTY_TOKENS} plus {@code name:type:description},
 * {@value #PROPERTIES_TOKENS} once when a tool has properties, and for an enum
 * {@value #ENUM_ITEM_TOKENS} plus the item per item, minus 3; then {@value #TOOLS_END_TOKENS} once. The
 * cookbook verified this against the API for one weather tool (101 tokens on GPT-4o, 105 on GPT-4). It
 * covers flat parameters; a nested object or array schema is approximated by adding the tokens of its
 * JSON text (whitespace removed).
 *
 * <p><b>A JSON-schema response format</b> adds the tokens of the schema's JSON text, whitespace removed.
 * OpenAI does not publish this rule; it matches the recorded GPT-4o calls in the conformance suite (79
 * prompt tokens for a one-message request with a three-property schema). OpenAI has changed how it counts
 * these before (an August 2024 recording of the same request reports 17), so treat it as an estimate.
 *
 * <p>Thread-safe. Each tokenizer's vocabulary is loaded on first use (a few hundred milliseconds).
 */
public final class OpenAiTokenCounter implements TokenCounter {
  /** Framing tokens per message ({@code <|start|>role ... <|end|>}). */
  public static final int TOKENS_PER_MESSAGE = 3;
  /** Tokens added when a message has a name. */
  public static final int TOKENS_PER_NAME = 1;
  /** Tokens that prime every reply ({@code <|start|>assistant<|message|>}). */
  public static final int REPLY_PRIMING_TOKENS = 3;
  /** Tokens per tool call in an assistant message, beyond its name and arguments (an approximation). */
  public static final int TOKENS_PER_TOOL_CALL = 3;
  /** Tokens per tool definition on o200k models (cookbook {@code func_init}). */
  public static final int GPT_4O_TOOL_TOKENS = 7;
  /** Tokens per tool definition on cl100k models (cookbook {@code func_init}). */
  public static final int GPT_4_TOOL_TOKENS = 10;
  /** Tokens once per tool with properties (cookbook {@code prop_init}). */
  public static final int PROPERTIES_TOKENS = 3;
  /** Tokens per property (cookbook {@code prop_key}). */
  public static final int PROPERTY_TOKENS = 3;
  /** Tokens once per enum (cookbook {@code enum_init}). */
  public static final int ENUM_TOKENS = -3;
  /** Tokens per enum item besides the item itself (cookbook {@code enum_item}). */
  public static final int ENUM_ITEM_TOKENS = 3;
  /** Tokens once when a request has tools (cookbook {@code func_end}). */
  public static final int TOOLS_END_TOKENS = 12;

  private final EncodingRegistry registry;

  private OpenAiTokenCounter() {
    this.registry = Encodings.newLazyEncodingRegistry();
  }

  /**
   * A counter with its own tokenizers.
   *
   * @throws LlmConfigurationException when JTokkit is not on the class path
   */
  public static OpenAiTokenCounter create() {
    if (!TokenCounter.jtokkitAvailable()) {
      throw new LlmConfigurationException("OpenAiTokenCounter needs JTokkit on the class path:"
          + " add the dependency com.knuddels:jtokkit (see docs/cost-and-budgets.md)");
    }
    return new OpenAiTokenCounter();
  }

  /** Whether {@code model} belongs to an OpenAI family whose tokenizer is known. */
  public static boolean supports(String model) {
    return OpenAiModels.encoding(model) != null;
  }

  /**
   * The tokenizer of {@code model}: {@code o200k_base} or {@code cl100k_base}; {@code o200k_base} for a
   * model this class does not know.
   */
  public static String encodingName(String model) {
    String name = OpenAiModels.encoding(model);
    return name != null ? name : OpenAiModels.O200K_BASE;
  }

  /** The tokens of {@code text} on {@code model}; special tokens in the text count as ordinary text. */
  @Override
  public long countText(String text, @Nullable String provider, String model) {
    return encoding(model).countTokensOrdinary(text);
  }

  @Override
  public long countInputTokens(ChatRequest request, @Nullable String provider, String model) {
    Encoding encoding = encoding(model);
    long tokens = REPLY_PRIMING_TOKENS;
    for (Message message : request.messages()) {
      tokens += TOKENS_PER_MESSAGE + encoding.countTokensOrdinary(message.role().name().toLowerCase(Locale.ROOT));
      if (message.name() != null) {
        tokens += encoding.countTokensOrdinary(message.name()) + TOKENS_PER_NAME;
      }
      for (ContentPart part : message.content()) {
        tokens += partTokens(part, encoding, model);
      }
    }
    if (!request.tools().isEmpty()) {
      tokens += toolTokens(request.tools(), encoding);
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
      tokens += encoding.countTokensOrdinary(Json.compact(format.schema()));
    }
    return tokens;
  }

  private long partTokens(ContentPart part, Encoding encoding, String model) {
    if (part instanceof ContentPart.Text t) {
      return encoding.countTokensOrdinary(t.text());
    }
    if (part instanceof ContentPart.ToolCall c) {
      return encoding.countTokensOrdinary(c.name()) + encoding.countTokensOrdinary(c.arguments())
          + TOKENS_PER_TOOL_CALL;
    }
    if (part instanceof ContentPart.ToolResult r) {
      return encoding.countTokensOrdinary(r.content());
    }
    if (part instanceof ContentPart.Image image) {
      return imageTokens(image, model);
    }
    return 0; // thinking: not sent back on Chat Completions
  }

  /** The tokens of {@code image} on {@code model}, by the model's formula (see {@link ImageTokens}). */
  static long imageTokens(ContentPart.Image image, String model) {
    OpenAiModels.ImageRule rule = OpenAiModels.images(model);
    ImageSize size = ImageSize.of(image);
    if (rule.patchMultiplier() != null) {
      return size == null
          ? ImageTokens.openAiPatches(32 * 32, 32 * 48, rule.patchMultiplier()) // the 1536-patch cap
          : ImageTokens.openAiPatches(size.width(), size.height(), rule.patchMultiplier());
    }
    boolean low = ImageTokens.lowDetail(image);
    if (size == null) {
      return low ? rule.baseTokens() : rule.baseTokens() + 4L * rule.tileTokens(); // 1024x1024, high
    }
    return ImageTokens.openAiTiles(size.width(), size.height(), low, rule.baseTokens(),
        rule.tileTokens());
  }

  private long toolTokens(List<ToolDefinition> tools, Encoding encoding) {
    boolean cl100k = encoding.getName().equals(OpenAiModels.CL100K_BASE);
    long tokens = TOOLS_END_TOKENS;
    for (ToolDefinition tool : tools) {
      tokens += cl100k ? GPT_4_TOOL_TOKENS : GPT_4O_TOOL_TOKENS;
      String description = tool.description() == null ? "" : tool.description();
      tokens += encoding.countTokensOrdinary(tool.name() + ":" + withoutFinalPeriod(description));
      Map<String, @Nullable Object> properties =
          Json.object(Json.object(Json.parse(tool.parametersSchema())).get("properties"));
      if (properties.isEmpty()) {
        continue;
      }
      tokens += PROPERTIES_TOKENS;
      for (Map.Entry<String, @Nullable Object> property : properties.entrySet()) {
        tokens += PROPERTY_TOKENS;
        Map<String, @Nullable Object> schema = Json.object(property.getValue());
        List<@Nullable Object> values = Json.array(schema.get("enum"));
        if (schema.containsKey("enum")) {
          tokens += ENUM_TOKENS;
          for (Object value : values) {
            tokens += ENUM_ITEM_TOKENS + encoding.countTokensOrdinary(text(value));
          }
        }
        String description2 = Json.string(schema.get("description"));
        tokens += encoding.countTokensOrdinary(property.getKey() + ":" + text(schema.get("type")) + ":"
            + withoutFinalPeriod(description2 == null ? "" : description2));
        for (String nested : List.of("properties", "items")) {
          if (schema.containsKey(nested)) {
            tokens += encoding.countTokensOrdinary(render(schema.get(nested)));
          }
        }
      }
    }
    return tokens;
  }

  private Encoding encoding(String model) {
    return registry.getEncoding(encodingName(model).equals(OpenAiModels.CL100K_BASE)
        ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE);
  }

  private static String withoutFinalPeriod(String text) {
    return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
  }

  private static String text(@Nullable Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof List<?> list) {
      StringJoiner joined = new StringJoiner(",");
      list.forEach(v -> joined.add(text(v)));
      return joined.toString();
    }
    return value instanceof Json.Number n ? n.text() : String.valueOf(value);
  }

  /** Compact JSON text of a parsed value. */
  private static String render(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      StringJoiner joined = new StringJoiner(",", "{", "}");
      map.forEach((k, v) -> joined.add("\"" + k + "\":" + render(v)));
      return joined.toString();
    }
    if (value instanceof List<?> list) {
      StringJoiner joined = new StringJoiner(",", "[", "]");
      list.forEach(v -> joined.add(render(v)));
      return joined.toString();
    }
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    return value instanceof Json.Number n ? n.text() : String.valueOf(value);
  }

  @Override
  public String toString() {
    return "OpenAiTokenCounter";
  }
}
