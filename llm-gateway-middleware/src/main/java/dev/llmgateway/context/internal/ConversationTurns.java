package dev.llmgateway.context.internal;

import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A conversation cut into the turns that are kept or dropped whole. System messages belong to no turn
 * (they are always kept). Every other message is a turn of its own, except that a message holding tool
 * calls and every later message holding a result for one of them are one turn, together with whatever
 * lies between them: dropping a prefix of the turns then never separates a call from its results.
 *
 * <p>A result is matched to the latest earlier call with its id, so providers that reuse or leave empty
 * the call ids (Gemini matches by position) still pair each result with the call just before it. A
 * result whose call is nowhere in the conversation is a turn of its own.
 */
public final class ConversationTurns {
  private ConversationTurns() {}

  /**
   * One turn.
   *
   * @param indices the positions of its messages in the conversation, in order; never empty
   * @param role the role of its first message
   */
  public record Turn(List<Integer> indices, Role role) {
    public Turn {
      indices = List.copyOf(indices);
    }
  }

  /** The turns of {@code messages}, oldest first. */
  public static List<Turn> of(List<Message> messages) {
    List<Integer> positions = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).role() != Role.SYSTEM) {
        positions.add(i);
      }
    }
    int count = positions.size();
    int[] reach = new int[count];
    Arrays.setAll(reach, p -> p);
    Map<String, Integer> latestCall = new HashMap<>();
    for (int p = 0; p < count; p++) {
      Message message = messages.get(positions.get(p));
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.ToolResult result) {
          Integer call = latestCall.get(result.toolCallId());
          if (call != null && call < p) {
            reach[call] = Math.max(reach[call], p);
          }
        }
      }
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.ToolCall call) {
          latestCall.put(call.id(), p);
        }
      }
    }
    List<Turn> turns = new ArrayList<>();
    int start = 0;
    int end = -1;
    for (int p = 0; p < count; p++) {
      end = Math.max(end, reach[p]);
      if (p == end) {
        turns.add(new Turn(positions.subList(start, p + 1),
            messages.get(positions.get(start)).role()));
        start = p + 1;
      }
    }
    return List.copyOf(turns);
  }

  /** How many messages the first {@code count} turns hold. */
  public static int messageCount(List<Turn> turns, int count) {
    int messages = 0;
    for (int t = 0; t < count; t++) {
      messages += turns.get(t).indices().size();
    }
    return messages;
  }

  /**
   * {@code messages} without the messages of the first {@code count} turns; when {@code replacement} is
   * given, it takes the place of the first message removed.
   */
  public static List<Message> withoutFirst(List<Message> messages, List<Turn> turns, int count,
      @Nullable Message replacement) {
    boolean[] removed = new boolean[messages.size()];
    int first = -1;
    for (int t = 0; t < count; t++) {
      for (int index : turns.get(t).indices()) {
        removed[index] = true;
        first = first < 0 ? index : Math.min(first, index);
      }
    }
    List<Message> kept = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      if (i == first && replacement != null) {
        kept.add(replacement);
      }
      if (!removed[i]) {
        kept.add(messages.get(i));
      }
    }
    return kept;
  }
}
