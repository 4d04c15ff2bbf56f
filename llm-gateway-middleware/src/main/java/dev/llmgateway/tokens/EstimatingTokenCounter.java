package dev.llmgateway.tokens;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.ResponseFormat;
import dev.llmgateway.ToolChoice;
import dev.llmgateway.ToolDefinition;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.tokens.internal.ImageSize;
import dev.llmgateway.tokens.internal.Json;
import org.jspecify.annotations.Nullable;

/**
 * A token count from characters, for models whose tokenizer is not available: free to compute, never
 * exact. The rule, with every number a setting of the {@link Builder}:
 *
 * <pre>
 * tokens = ceil(prose characters / charsPerToken)          message text, tool results, thinking, names,
 *                                                            tool names and descriptions
 *        + ceil(JSON characters / jsonCharsPerToken)        tool-call arguments, tool parameter schemas,
 *                                                            a response-format schema (whitespace removed),
 *                                                            tool-call ids
 *        + tokensPerMessage x messages + tokensPerRequest   the chat framing
 *        + toolsTokens (or forcedToolsTokens when the tool choice is required or names a tool),
 *          once when the request has tools, + tokensPerTool x tools
 *        + tokensPerToolBlock x (tool calls + tool results)
 *        + responseFormatTokens when the request asks for a JSON schema
 *        + each image, by {@link ImageTokens}
 * </pre>
 *
 * <p>Two calibrations ship:
 * <ul>
 *   <li>{@link #GENERIC}: 4 characters a token, prose and JSON alike, and OpenAI's framing from its
 *       cookbook "How to count tokens with tiktoken": 3 tokens a message plus 1 for the role, 3 to prime
 *       the reply, and for tools 7 a tool and 12 once. Images by OpenAI's tile formula. Used for every
 *       provider without a calibration of its own, and for OpenAI models when JTokkit is absent. Measured
 *       error: see {@code docs/cost-and-budgets.md}.
 *   <li>{@link #ANTHROPIC}: 4 characters a token for prose and 2 for JSON (Claude's tokenizer splits JSON
 *       finely), with the tool-use system prompt Anthropic documents
 *       for Claude 4 models (346 tokens with tool choice auto or none, 313 with any or a named tool), and
 *       three constants fitted to the five recorded Claude exchanges in the conformance suite (each
 *       tool definition +110, each tool-use or tool-result block +20, a JSON-schema output format +100),
 *       which the estimate then matches within 10%. Images by Anthropic's formula.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class EstimatingTokenCounter implements TokenCounter {
  /** Prose characters per token by default: {@value}. */
  public static final int DEFAULT_CHARS_PER_TOKEN = 4;
  /** JSON characters per token by default: {@value}. */
  public static final int DEFAULT_JSON_CHARS_PER_TOKEN = 4;
  /** Framing tokens per message by default: {@value} (OpenAI's 3, plus 1 for the role). */
  public static final int DEFAULT_TOKENS_PER_MESSAGE = 4;
  /** Framing tokens per request by default: {@value} (OpenAI primes every reply with 3). */
  public static final int DEFAULT_TOKENS_PER_REQUEST = 3;
  /** Tokens added once when a request has tools, by default: {@value} (OpenAI's cookbook). */
  public static final int DEFAULT_TOOLS_TOKENS = 12;
  /** As {@link #DEFAULT_TOOLS_TOKENS} when the tool choice forces a call, by default: {@value}. */
  public static final int DEFAULT_FORCED_TOOLS_TOKENS = 12;
  /** Tokens added per tool definition by default: {@value} (OpenAI's cookbook, GPT-4o). */
  public static final int DEFAULT_TOKENS_PER_TOOL = 7;
  /** Tokens added per tool call or tool result by default: {@value}. */
  public static final int DEFAULT_TOKENS_PER_TOOL_BLOCK = 3;
  /** Tokens added for a JSON-schema response format by default: {@value}. */
  public static final int DEFAULT_RESPONSE_FORMAT_TOKENS = 0;
  /** How images are counted by default: {@link ImageRule#OPENAI}. */
  public static final ImageRule DEFAULT_IMAGE_RULE = ImageRule.OPENAI;

  /** Every default: OpenAI's framing with character rates. */
  public static final EstimatingTokenCounter GENERIC = builder().build();

  /** Calibrated for Claude models (see the class comment). */
  public static final EstimatingTokenCounter ANTHROPIC = builder()
      .jsonCharsPerToken(2)
      .tokensPerMessage(3)
      .toolsTokens(346)
      .forcedToolsTokens(313)
      .tokensPerTool(110)
      .tokensPerToolBlock(20)
      .responseFormatTokens(100)
      .imageRule(ImageRule.ANTHROPIC)
      .build();

  /** The image formulas an estimate can apply. */
  public enum ImageRule {
    /**
     * OpenAI's tiles (85 + 170 per 512 px tile; {@value ImageTokens#OPENAI_UNKNOWN_SIZE_TOKENS} when the
     * size is unknown).
     */
    OPENAI,
    /** Anthropic's pixels / 750 ({@value ImageTokens#ANTHROPIC_MAX_TOKENS} when the size is unknown). */
    ANTHROPIC
  }

  private final int charsPerToken;
  private final int jsonCharsPerToken;
  private final int tokensPerMessage;
  private final int tokensPerRequest;
  private final int toolsTokens;
  private final int forcedToolsTokens;
  private final int tokensPerTool;
  private final int tokensPerToolBlock;
  private final int responseFormatTokens;
  private final ImageRule imageRule;

  private EstimatingTokenCounter(Builder b) {
    this.charsPerToken = b.charsPerToken;
    this.jsonCharsPerToken = b.jsonCharsPerToken;
    this.tokensPerMessage = b.tokensPerMessage;
    this.tokensPerRequest = b.tokensPerRequest;
    this.toolsTokens = b.toolsTokens;
    this.forcedToolsTokens = b.forcedToolsTokens;
    this.tokensPerTool = b.tokensPerTool;
    this.tokensPerToolBlock = b.tokensPerToolBlock;
    this.responseFormatTokens = b.responseFormatTokens;
    this.imageRule = b.imageRule;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this counter's settings. */
  public Builder toBuilder() {
    return new Builder().charsPerToken(charsPerToken).jsonCharsPerToken(jsonCharsPerToken)
        .tokensPerMessage(tokensPerMessage).tokensPerRequest(tokensPerRequest).toolsTokens(toolsTokens)
        .forcedToolsTokens(forcedToolsTokens).tokensPerTool(tokensPerTool)
        .tokensPerToolBlock(tokensPerToolBlock).responseFormatTokens(responseFormatTokens)
        .imageRule(imageRule);
  }

  public int charsPerToken() {
    return charsPerToken;
  }

  public int jsonCharsPerToken() {
    return jsonCharsPerToken;
  }

  public int tokensPerMessage() {
    return tokensPerMessage;
  }

  public int tokensPerRequest() {
    return tokensPerRequest;
  }

  public int toolsTokens() {
    return toolsTokens;
  }

  public int forcedToolsTokens() {
    return forcedToolsTokens;
  }

  public int tokensPerTool() {
    return tokensPerTool;
  }

  public int tokensPerToolBlock() {
    return tokensPerToolBlock;
  }

  public int responseFormatTokens() {
    return responseFormatTokens;
  }

  public ImageRule imageRule() {
    return imageRule;
  }

  @Override
  public long countInputTokens(ChatRequest request, @Nullable String provider, String model) {
    long prose = 0;
    long json = 0;
    long fixed = tokensPerRequest;
    for (Message message : request.messages()) {
      fixed += tokensPerMessage;
      if (message.name() != null) {
        prose += message.name().length();
      }
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Text t) {
          prose += t.text().length();
        } else if (part instanceof ContentPart.ToolCall c) {
          prose += c.name().length();
          json += Json.compact(c.arguments()).length() + c.id().length();
          fixed += tokensPerToolBlock;
        } else if (part instanceof ContentPart.ToolResult r) {
          prose += r.content().length();
          json += r.toolCallId().length();
          fixed += tokensPerToolBlock;
        } else if (part instanceof ContentPart.Thinking t) {
          prose += t.text().length();
        } else if (part instanceof ContentPart.Image image) {
          fixed += imageTokens(image);
        }
      }
    }
    if (!request.tools().isEmpty()) {
      fixed += forced(request.toolChoice()) ? forcedToolsTokens : toolsTokens;
      for (ToolDefinition tool : request.tools()) {
        fixed += tokensPerTool;
        prose += tool.name().length() + (tool.description() == null ? 0 : tool.description().length());
        json += Json.compact(tool.parametersSchema()).length();
      }
    }
    ResponseFormat format = request.responseFormat();
    if (format != null && format.type() == ResponseFormat.Type.JSON_SCHEMA && format.schema() != null) {
      fixed += responseFormatTokens;
      json += Json.compact(format.schema()).length();
    }
    return ceilDiv(prose, charsPerToken) + ceilDiv(json, jsonCharsPerToken) + fixed;
  }

  /** The prose characters of {@code text} divided by {@link #charsPerToken()}, rounded up. */
  @Override
  public long countText(String text, @Nullable String provider, String model) {
    return ceilDiv(text.length(), charsPerToken);
  }

  private long imageTokens(ContentPart.Image image) {
    ImageSize size = ImageSize.of(image);
    if (imageRule == ImageRule.ANTHROPIC) {
      return size == null ? ImageTokens.ANTHROPIC_MAX_TOKENS
          : ImageTokens.anthropic(size.width(), size.height());
    }
    boolean low = ImageTokens.lowDetail(image);
    if (size == null) {
      return low ? ImageTokens.OPENAI_BASE_TOKENS : ImageTokens.OPENAI_UNKNOWN_SIZE_TOKENS;
    }
    return ImageTokens.openAiTiles(size.width(), size.height(), low, ImageTokens.OPENAI_BASE_TOKENS,
        ImageTokens.OPENAI_TILE_TOKENS);
  }

  static boolean forced(@Nullable ToolChoice choice) {
    return choice != null
        && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.TOOL);
  }

  private static long ceilDiv(long value, int divisor) {
    return (value + divisor - 1) / divisor;
  }

  @Override
  public String toString() {
    return "EstimatingTokenCounter[charsPerToken=" + charsPerToken + ", jsonCharsPerToken="
        + jsonCharsPerToken + ", tokensPerMessage=" + tokensPerMessage + ", tokensPerRequest="
        + tokensPerRequest + ", toolsTokens=" + toolsTokens + ", forcedToolsTokens=" + forcedToolsTokens
        + ", tokensPerTool=" + tokensPerTool + ", tokensPerToolBlock=" + tokensPerToolBlock
        + ", responseFormatTokens=" + responseFormatTokens + ", imageRule=" + imageRule + "]";
  }

  /** Builds an {@link EstimatingTokenCounter}. Not thread-safe. */
  public static final class Builder {
    private int charsPerToken = DEFAULT_CHARS_PER_TOKEN;
    private int jsonCharsPerToken = DEFAULT_JSON_CHARS_PER_TOKEN;
    private int tokensPerMessage = DEFAULT_TOKENS_PER_MESSAGE;
    private int tokensPerRequest = DEFAULT_TOKENS_PER_REQUEST;
    private int toolsTokens = DEFAULT_TOOLS_TOKENS;
    private int forcedToolsTokens = DEFAULT_FORCED_TOOLS_TOKENS;
    private int tokensPerTool = DEFAULT_TOKENS_PER_TOOL;
    private int tokensPerToolBlock = DEFAULT_TOKENS_PER_TOOL_BLOCK;
    private int responseFormatTokens = DEFAULT_RESPONSE_FORMAT_TOKENS;
    private ImageRule imageRule = DEFAULT_IMAGE_RULE;

    private Builder() {}

    /** Prose characters per token, at least 1. Defaults to {@value #DEFAULT_CHARS_PER_TOKEN}. */
    public Builder charsPerToken(int value) {
      this.charsPerToken = positive(value, "charsPerToken");
      return this;
    }

    /** JSON characters per token, at least 1. Defaults to {@value #DEFAULT_JSON_CHARS_PER_TOKEN}. */
    public Builder jsonCharsPerToken(int value) {
      this.jsonCharsPerToken = positive(value, "jsonCharsPerToken");
      return this;
    }

    /** Framing tokens per message. Defaults to {@value #DEFAULT_TOKENS_PER_MESSAGE}. */
    public Builder tokensPerMessage(int value) {
      this.tokensPerMessage = notNegative(value, "tokensPerMessage");
      return this;
    }

    /** Framing tokens per request. Defaults to {@value #DEFAULT_TOKENS_PER_REQUEST}. */
    public Builder tokensPerRequest(int value) {
      this.tokensPerRequest = notNegative(value, "tokensPerRequest");
      return this;
    }

    /**
     * Tokens added once when a request has tools (a provider's hidden tool prompt). Defaults to
     * {@value #DEFAULT_TOOLS_TOKENS}.
     */
    public Builder toolsTokens(int value) {
      this.toolsTokens = notNegative(value, "toolsTokens");
      return this;
    }

    /**
     * Tokens added once instead of {@link #toolsTokens} when the tool choice is required or names a
     * tool. Defaults to {@value #DEFAULT_FORCED_TOOLS_TOKENS}.
     */
    public Builder forcedToolsTokens(int value) {
      this.forcedToolsTokens = notNegative(value, "forcedToolsTokens");
      return this;
    }

    /** Tokens added per tool definition. Defaults to {@value #DEFAULT_TOKENS_PER_TOOL}. */
    public Builder tokensPerTool(int value) {
      this.tokensPerTool = notNegative(value, "tokensPerTool");
      return this;
    }

    /** Tokens added per tool call and tool result. Defaults to {@value #DEFAULT_TOKENS_PER_TOOL_BLOCK}. */
    public Builder tokensPerToolBlock(int value) {
      this.tokensPerToolBlock = notNegative(value, "tokensPerToolBlock");
      return this;
    }

    /**
     * Tokens added when the request asks for a JSON schema (a provider's hidden format prompt). Defaults
     * to {@value #DEFAULT_RESPONSE_FORMAT_TOKENS}.
     */
    public Builder responseFormatTokens(int value) {
      this.responseFormatTokens = notNegative(value, "responseFormatTokens");
      return this;
    }

    /** How images are counted. Defaults to {@link ImageRule#OPENAI}. */
    public Builder imageRule(ImageRule value) {
      if (value == null) {
        throw new LlmConfigurationException("imageRule must not be null");
      }
      this.imageRule = value;
      return this;
    }

    public EstimatingTokenCounter build() {
      return new EstimatingTokenCounter(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new LlmConfigurationException(name + " must be at least 1, was " + value);
      }
      return value;
    }

    private static int notNegative(int value, String name) {
      if (value < 0) {
        throw new LlmConfigurationException(name + " must not be negative, was " + value);
      }
      return value;
    }
  }
}
