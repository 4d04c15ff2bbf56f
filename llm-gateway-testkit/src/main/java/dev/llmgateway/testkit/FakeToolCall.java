package dev.llmgateway.testkit;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A function call a {@link FakeReply} asks the client to make: OpenAI's
 * {@code tool_calls[{id, type: "function", function: {name, arguments}}]}.
 *
 * <p>The arguments are sent exactly as given, so a test can script invalid JSON on purpose. When streamed, a
 * call goes out as OpenAI sends it: a first fragment with the id, type, name and empty arguments, then the
 * arguments in pieces cut by the reply's {@link TextSplitter}.
 *
 * <pre>{@code
 * FakeReply reply = FakeReply.toolCalls(
 *     FakeToolCall.of("get_weather", "{\"city\": \"Paris\"}"),
 *     new FakeToolCall("call_42", "get_time", "{\"zone\": \"CET\"}"));
 * }</pre>
 *
 * @param id the call id, or null for a generated {@code call_fake_<request>_<index>}
 * @param name the function name
 * @param arguments the arguments, a JSON document as a string
 */
public record FakeToolCall(@Nullable String id, String name, String arguments) {

  public FakeToolCall {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
  }

  /** A call with a generated id. */
  public static FakeToolCall of(String name, String arguments) {
    return new FakeToolCall(null, name, arguments);
  }
}
