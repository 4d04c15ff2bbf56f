package dev.llmgateway.provider.bedrock.internal;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One decoded message of an AWS event stream ({@code application/vnd.amazon.eventstream}): its headers and
 * its payload, after both CRCs were checked.
 *
 * <p>Header values keep the type the wire gave them: {@link Boolean} (types 0 and 1), {@link Byte} (2),
 * {@link Short} (3), {@link Integer} (4), {@link Long} (5), {@code byte[]} (6), {@link String} (7),
 * {@link java.time.Instant} (8, a timestamp) and {@link java.util.UUID} (9).
 *
 * @param headers the headers in wire order (a later duplicate replaces an earlier one)
 * @param payload the payload bytes, usually JSON; not copied
 */
public record EventStreamMessage(Map<String, Object> headers, byte[] payload) {

  /** The header that says whether a message is an {@code event}, an {@code exception} or an {@code error}. */
  public static final String MESSAGE_TYPE = ":message-type";
  /** The header naming an event, e.g. {@code contentBlockDelta}. */
  public static final String EVENT_TYPE = ":event-type";
  /** The header naming a modelled exception, e.g. {@code throttlingException}. */
  public static final String EXCEPTION_TYPE = ":exception-type";
  /** The header carrying the code of an unmodelled error message. */
  public static final String ERROR_CODE = ":error-code";
  /** The header carrying the text of an unmodelled error message. */
  public static final String ERROR_MESSAGE = ":error-message";

  public EventStreamMessage {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers,
        "headers")));
    Objects.requireNonNull(payload, "payload");
  }

  /** The value of a string header; null when the header is absent or not a string. */
  public @Nullable String stringHeader(String name) {
    return headers.get(name) instanceof String s ? s : null;
  }

  /** The payload as UTF-8 text. */
  public String payloadText() {
    return new String(payload, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // the payload can hold model output; show its size only
    return "EventStreamMessage[headers=" + headers.keySet() + ", payloadBytes=" + payload.length + "]";
  }
}
