package dev.llmgateway;

import dev.llmgateway.internal.Require;
import org.jspecify.annotations.Nullable;

/**
 * One ordered piece of a {@link Message}: text, an image, a tool call, a tool result or a thinking block.
 * Sealed, so that every adapter handles every kind or fails to compile.
 */
public sealed interface ContentPart
    permits ContentPart.Text, ContentPart.Image, ContentPart.ToolCall, ContentPart.ToolResult,
        ContentPart.Thinking {

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      Require.nonNull(text, "text");
    }
  }

  /**
   * An image given either by URL or by base64 data with its media type (exactly one of the two).
   *
   * @param url an http(s) or data URL, or null when {@code base64Data} is given
   * @param base64Data the encoded bytes, or null when {@code url} is given
   * @param mediaType e.g. {@code image/png}; required with base64 data
   * @param detail a provider hint such as {@code low}/{@code high}/{@code auto}; null for the provider default
   */
  record Image(@Nullable String url, @Nullable String base64Data, @Nullable String mediaType,
      @Nullable String detail) implements ContentPart {
    public Image {
      Require.check((url == null) != (base64Data == null),
          "image needs exactly one of url or base64Data");
      Require.check(base64Data == null || (mediaType != null && !mediaType.isBlank()),
          "image mediaType must be set with base64Data");
    }

    public static Image ofUrl(String url) {
      return new Image(Require.nonBlank(url, "url"), null, null, null);
    }

    public static Image ofBase64(String mediaType, String base64Data) {
      return new Image(null, Require.nonBlank(base64Data, "base64Data"), mediaType, null);
    }

    /** A data URL ({@code data:<mediaType>;base64,<data>}) or the plain URL, as OpenAI-style wires want. */
    public String asUrl() {
      return url != null ? url : "data:" + mediaType + ";base64," + base64Data;
    }

    @Override
    public String toString() {
      // Base64 payloads can be megabytes; never dump them into logs.
      return url != null
          ? "Image[url=" + url + "]"
          : "Image[mediaType=" + mediaType + ", base64Chars=" + base64Data.length() + "]";
    }
  }

  /**
   * A call the assistant asked for.
   *
   * @param id the provider's call id, echoed back in the matching {@link ToolResult}
   * @param name the tool's name
   * @param arguments the arguments as a JSON object text ({@code "{}"} when there are none)
   */
  record ToolCall(String id, String name, String arguments) implements ContentPart {
    public ToolCall {
      Require.nonNull(id, "toolCall.id");
      Require.nonBlank(name, "toolCall.name");
      Require.nonNull(arguments, "toolCall.arguments");
    }
  }

  /**
   * The application's answer to a {@link ToolCall}.
   *
   * @param toolCallId the id of the call this answers
   * @param toolName the tool's name, which some providers (Gemini, Ollama) match on; may be null
   * @param content the result, usually JSON or plain text
   * @param isError whether the tool failed; the model sees this
   */
  record ToolResult(String toolCallId, @Nullable String toolName, String content, boolean isError)
      implements ContentPart {
    public ToolResult {
      Require.nonNull(toolCallId, "toolResult.toolCallId");
      Require.nonNull(content, "toolResult.content");
    }
  }

  /**
   * A reasoning block the model produced. Carried through so it can be sent back unchanged on the
   * following turns, which some providers require.
   *
   * @param text the visible reasoning text (empty when redacted)
   * @param signature the provider's opaque signature or encrypted payload; null if none
   * @param redacted whether the provider redacted the content ({@code signature} then holds the data)
   */
  record Thinking(String text, @Nullable String signature, boolean redacted) implements ContentPart {
    public Thinking {
      Require.nonNull(text, "thinking.text");
    }
  }
}
