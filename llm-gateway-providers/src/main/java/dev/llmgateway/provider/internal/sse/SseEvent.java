package dev.llmgateway.provider.internal.sse;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One dispatched Server-Sent Event.
 *
 * @param event the event type: the last {@code event:} field of the event, or {@link #DEFAULT_EVENT}
 *     ({@code "message"}) when it had none, as the WHATWG rules say
 * @param data the {@code data:} fields of the event joined with {@code \n}
 * @param id the last event id seen on the stream so far (ids persist across events); null before the
 *     first {@code id:} field
 */
public record SseEvent(String event, String data, @Nullable String id) {

  /** The type of an event that carries no {@code event:} field. */
  public static final String DEFAULT_EVENT = "message";

  public SseEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
  }

  /** An event of the default type without id, e.g. for tests. */
  public static SseEvent of(String data) {
    return new SseEvent(DEFAULT_EVENT, data, null);
  }
}
