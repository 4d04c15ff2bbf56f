package dev.llmgateway.context;

import static dev.llmgateway.context.Conversations.CHARS;
import static dev.llmgateway.context.Conversations.request;
import static dev.llmgateway.context.Conversations.small;
import static dev.llmgateway.context.Conversations.text;
import static dev.llmgateway.context.Conversations.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ContentPart;
import dev.llmgateway.Message;
import dev.llmgateway.Role;
import dev.llmgateway.context.ContextWindowReport.Outcome;
import dev.llmgateway.context.internal.ConversationTurns;
import dev.llmgateway.context.internal.ConversationTurns.Turn;
import dev.llmgateway.error.ContextLengthExceededException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A tool call and its results are never split, checked on hand-made cases and on thousands of random
 * conversations (seeded, so a failure names a seed that reproduces it; jqwik is not a dependency of this
 * module, see the report).
 */
class ToolPairIntegrityTest {

  @Test
  void aCallWithParallelResultsIsOneTurn() {
    List<Message> messages = List.of(Message.system("s"), Message.user("u"),
        Message.assistant(List.of(new ContentPart.Text("let me check"),
            new ContentPart.ToolCall("c1", "a", "{}"), new ContentPart.ToolCall("c2", "b", "{}"))),
        Message.toolResult("c1", "a", "1"), Message.toolResult("c2", "b", "2"),
        Message.assistant("done"), Message.user("thanks"));

    assertThat(ConversationTurns.of(messages)).extracting(Turn::indices)
        .containsExactly(List.of(1), List.of(2, 3, 4), List.of(5), List.of(6));
  }

  @Test
  void aTurnStretchesOverEverythingBetweenACallAndItsLastResult() {
    List<Message> messages = List.of(Message.user("u"), toolCall("c1", "a"), Message.system("note"),
        toolCall("c2", "b"), Message.toolResult("c2", "b", "2"), Message.toolResult("c1", "a", "1"),
        Message.user("next"));

    assertThat(ConversationTurns.of(messages)).extracting(Turn::indices)
        .containsExactly(List.of(0), List.of(1, 3, 4, 5), List.of(6));
  }

  @Test
  void reusedOrEmptyCallIdsPairEachResultWithTheLatestCall() {
    List<Message> messages = List.of(Message.user("u"), toolCall("", "a"), Message.toolResult("", "a", "1"),
        toolCall("", "a"), Message.toolResult("", "a", "2"));

    assertThat(ConversationTurns.of(messages)).extracting(Turn::indices)
        .containsExactly(List.of(0), List.of(1, 2), List.of(3, 4));
  }

  @Test
  void aResultWithoutItsCallIsATurnOfItsOwn() {
    List<Message> messages = List.of(Message.toolResult("gone", "a", "1"), Message.user("u"));

    assertThat(ConversationTurns.of(messages)).extracting(Turn::indices)
        .containsExactly(List.of(0), List.of(1));
  }

  @Test
  void aCallIsDroppedOnlyWithItsResult() {
    // system 100, user 100, call 3, result 400, assistant 200, user 300: 1,103 tokens; dropping the user
    // turn is not enough, so the call goes, and its result with it.
    List<Message> messages = List.of(Message.system(text('s', 99)), Message.user(text('u', 99)),
        toolCall("c1", "lookup"), Message.toolResult("c1", "lookup", text('r', 399)),
        Message.assistant(text('a', 199)), Message.user(text('q', 299)));
    FakeModel model = new FakeModel();

    small().policy(ContextWindowPolicy.DROP_OLDEST).startOnUserTurn(false).build()
        .intercept(request("fake/small", messages), model.chain(CallContext.standalone(false)));

    assertThat(model.received.get(0).messages()).containsExactly(messages.get(0), messages.get(4),
        messages.get(5));
  }

  @Test
  void randomConversationsKeepEveryPairSystemMessagesAndTheLastTurns() {
    int trimmed = 0;
    int refused = 0;
    for (long seed = 0; seed < 3_000; seed++) {
      Random random = new Random(seed);
      List<Message> messages = randomConversation(random);
      int keep = 1 + random.nextInt(4);
      boolean startOnUser = random.nextBoolean();
      long total = CHARS.countInputTokens(request("m", messages), null, "m");
      int window = (int) Math.max(1, total * (30 + random.nextInt(80)) / 100);
      ContextWindowInterceptor interceptor = ContextWindowInterceptor.builder()
          .policy(ContextWindowPolicy.DROP_OLDEST).keepLastTurns(keep).startOnUserTurn(startOnUser)
          .tokenCounter(CHARS).contextWindow("m", window).safetyMargin(0).outputReserve(0).build();
      FakeModel model = new FakeModel();
      CallContext context = CallContext.standalone(false);
      String where = "seed " + seed;
      try {
        interceptor.intercept(request("m", messages), model.chain(context));
      } catch (ContextLengthExceededException e) {
        refused++;
        assertThat(model.received).as(where).isEmpty();
        assertThat(context.get(ContextWindowInterceptor.REPORT).outcome()).as(where)
            .isEqualTo(Outcome.REFUSED);
        continue;
      }
      List<Message> sent = model.received.get(0).messages();
      ContextWindowReport report = context.get(ContextWindowInterceptor.REPORT);
      if (report.changed()) {
        trimmed++;
      }
      assertThat(report.finalTokens()).as(where).isLessThanOrEqualTo(window)
          .isEqualTo(CHARS.countInputTokens(request("m", sent), null, "m"));
      assertThat(sent).as(where).hasSize(messages.size() - report.droppedMessages());
      assertPairsIntact(sent, where);
      assertThat(sent.stream().filter(m -> m.role() == Role.SYSTEM).toList()).as(where)
          .isEqualTo(messages.stream().filter(m -> m.role() == Role.SYSTEM).toList());
      assertThat(isSubsequence(sent, messages)).as(where).isTrue();
      List<Turn> turns = ConversationTurns.of(messages);
      List<Message> lastTurns = new ArrayList<>();
      for (Turn turn : turns.subList(Math.max(0, turns.size() - keep), turns.size())) {
        turn.indices().forEach(i -> lastTurns.add(messages.get(i)));
      }
      List<Message> sentTail = sent.stream().filter(m -> m.role() != Role.SYSTEM).toList();
      assertThat(sentTail.subList(sentTail.size() - lastTurns.size(), sentTail.size())).as(where)
          .isEqualTo(lastTurns);
      if (report.changed() && startOnUser) {
        Message first = sentTail.get(0);
        boolean firstIsProtected = sentTail.size() == lastTurns.size();
        assertThat(first.role() == Role.USER || firstIsProtected).as(where).isTrue();
      }
      if (report.changed() && !startOnUser) {
        // Minimal: keeping one more turn would not have fitted.
        int kept = ConversationTurns.of(sent).size();
        Turn oneMore = turns.get(turns.size() - kept - 1);
        List<Message> bigger = new ArrayList<>(sent);
        int at = sent.indexOf(sentTail.get(0));
        List<Message> extra = oneMore.indices().stream().map(messages::get).toList();
        bigger.addAll(at, extra);
        assertThat(CHARS.countInputTokens(request("m", bigger), null, "m")).as(where)
            .isGreaterThan(window);
      }
    }
    assertThat(trimmed).isGreaterThan(500);
    assertThat(refused).isGreaterThan(100);
  }

  @Test
  void randomConversationsKeepEveryPairWhenSummarized() {
    int summarized = 0;
    int reachedIntoTheLastTurns = 0;
    for (long seed = 0; seed < 1_000; seed++) {
      Random random = new Random(seed);
      List<Message> messages = randomConversation(random);
      int keep = 1 + random.nextInt(4);
      boolean startOnUser = random.nextBoolean();
      long total = CHARS.countInputTokens(request("m", messages), null, "m");
      ContextWindowInterceptor interceptor = ContextWindowInterceptor.builder()
          .policy(ContextWindowPolicy.SUMMARIZE).keepLastTurns(keep).startOnUserTurn(startOnUser)
          .tokenCounter(CHARS).contextWindow("m", (int) Math.max(1, total - 1)).safetyMargin(0)
          .outputReserve(0).summaryPrefix("").build();
      FakeModel model = new FakeModel().answering(r -> FakeModel.isSummaryCall(r) ? "S" : "ok");
      CallContext context = CallContext.standalone(false);
      String where = "seed " + seed;
      try {
        interceptor.intercept(request("m", messages), model.chain(context));
      } catch (ContextLengthExceededException e) {
        continue;
      }
      summarized++;
      List<Message> sent = model.received.get(model.received.size() - 1).messages();
      assertPairsIntact(sent, where);
      assertThat(sent.stream().filter(m -> m.role() == Role.SYSTEM && !m.text().equals("S")).toList())
          .as(where).isEqualTo(messages.stream().filter(m -> m.role() == Role.SYSTEM).toList());
      assertThat(sent.stream().filter(m -> m.text().equals("S") && m.role() == Role.SYSTEM)).as(where)
          .hasSize(1);

      // What is kept is whole turns, from some turn to the last one.
      List<Turn> turns = ConversationTurns.of(messages);
      List<Message> sentTail = sent.stream().filter(m -> m.role() != Role.SYSTEM).toList();
      int from = -1;
      for (int t = 0; t <= turns.size() && from < 0; t++) {
        List<Message> tail = new ArrayList<>();
        for (Turn turn : turns.subList(t, turns.size())) {
          turn.indices().forEach(i -> tail.add(messages.get(i)));
        }
        if (tail.equals(sentTail)) {
          from = t;
        }
      }
      assertThat(from).as(where + ": kept messages are not a suffix of whole turns").isNotNegative();
      assertThat(context.get(ContextWindowInterceptor.REPORT).droppedMessages()).as(where)
          .isEqualTo(messages.stream().filter(m -> m.role() != Role.SYSTEM).count() - sentTail.size());
      // Every turn before the last ones is summarized.
      int older = turns.size() - keep;
      assertThat(from).as(where).isGreaterThanOrEqualTo(older).isLessThan(turns.size());
      boolean lastTurnsHoldAUser = turns.subList(older, turns.size()).stream()
          .anyMatch(turn -> turn.role() == Role.USER);
      if (startOnUser && lastTurnsHoldAUser) {
        // The kept part opens with a user turn; of the last turns, only those before it are summarized.
        assertThat(sentTail.get(0).role()).as(where + ": kept part opens with " + sentTail.get(0).role())
            .isEqualTo(Role.USER);
        assertThat(turns.subList(older, from)).as(where).noneMatch(turn -> turn.role() == Role.USER);
        if (from > older) {
          reachedIntoTheLastTurns++;
        }
      } else {
        // Exactly the turns before the last ones are summarized.
        assertThat(from).as(where).isEqualTo(older);
      }
    }
    assertThat(summarized).isGreaterThan(300);
    assertThat(reachedIntoTheLastTurns).isGreaterThan(100);
  }

  /** Every result has its call earlier, and every call all its results later. */
  private static void assertPairsIntact(List<Message> sent, String where) {
    Set<String> calls = new HashSet<>();
    Set<String> answered = new HashSet<>();
    for (Message m : sent) {
      for (ContentPart part : m.content()) {
        if (part instanceof ContentPart.ToolResult r) {
          assertThat(calls).as(where + ": result " + r.toolCallId() + " without its call")
              .contains(r.toolCallId());
          answered.add(r.toolCallId());
        } else if (part instanceof ContentPart.ToolCall c) {
          calls.add(c.id());
        }
      }
    }
    assertThat(answered).as(where + ": calls without results").isEqualTo(calls);
  }

  private static boolean isSubsequence(List<Message> sub, List<Message> of) {
    int i = 0;
    for (Message m : of) {
      if (i < sub.size() && sub.get(i).equals(m)) {
        i++;
      }
    }
    return i == sub.size();
  }

  /**
   * A valid conversation: optional system prompt, then exchanges of a user message, possibly tool rounds
   * (one to three parallel calls answered by one result message each, in any order, sometimes a system
   * note between them), and an assistant answer; the last exchange may end at its user message. Every
   * call is answered.
   */
  private static List<Message> randomConversation(Random random) {
    List<Message> messages = new ArrayList<>();
    if (random.nextInt(4) > 0) {
      messages.add(Message.system(text('s', 1 + random.nextInt(60))));
    }
    int exchanges = 1 + random.nextInt(7);
    int callId = 0;
    for (int e = 0; e < exchanges; e++) {
      messages.add(Message.user(text('u', 1 + random.nextInt(120))));
      boolean last = e == exchanges - 1;
      if (last && random.nextBoolean()) {
        break;
      }
      int rounds = random.nextInt(3);
      for (int r = 0; r < rounds; r++) {
        int parallel = 1 + random.nextInt(3);
        List<ContentPart> parts = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < parallel; p++) {
          String id = "call-" + callId++;
          ids.add(id);
          parts.add(new ContentPart.ToolCall(id, "tool", "{\"q\":\"" + text('x', random.nextInt(40)) + "\"}"));
        }
        messages.add(Message.assistant(parts));
        java.util.Collections.shuffle(ids, random);
        for (String id : ids) {
          if (random.nextInt(10) == 0) {
            messages.add(Message.system("note"));
          }
          messages.add(Message.toolResult(id, "tool", text('r', random.nextInt(150))));
        }
      }
      messages.add(Message.assistant(text('a', 1 + random.nextInt(120))));
    }
    return messages;
  }
}
