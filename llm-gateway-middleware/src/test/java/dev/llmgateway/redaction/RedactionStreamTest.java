package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.ChatStream;
import dev.llmgateway.ContentPart;
import dev.llmgateway.FinishReason;
import dev.llmgateway.Interceptor;
import dev.llmgateway.Message;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.redaction.internal.RestoringChatStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming path: the request is redacted exactly as for blocking calls, and placeholders are
 * restored in the chunks however the provider splits them, holding back no more than the longest
 * placeholder's length minus one.
 */
class RedactionStreamTest {
  private static final String EMAIL = "jane.doe@example.com";
  private static final String OTHER_EMAIL = "max@example.org";
  private static final String PHONE = "+44 20 7946 0958";
  private static final String CARD = "4111 1111 1111 1111";
  /** Gives <EMAIL_1>, <EMAIL_2>, <PHONE_1>, <CARD_1>; the longest placeholder is 9 characters. */
  private static final String PROMPT = "Mail " + EMAIL + " and " + OTHER_EMAIL + ", call " + PHONE
      + ", charge " + CARD + ".";
  private static final Map<String, String> VALUES = new LinkedHashMap<>();
  private static final int LONGEST_PLACEHOLDER = "<EMAIL_1>".length();

  static {
    VALUES.put("<EMAIL_1>", EMAIL);
    VALUES.put("<EMAIL_2>", OTHER_EMAIL);
    VALUES.put("<PHONE_1>", PHONE);
    VALUES.put("<CARD_1>", CARD);
  }

  /**
   * Adjacent placeholders, a placeholder inside angle brackets, a stray {@code <}, an unknown
   * placeholder, and an unfinished one at the very end that must come out as it is.
   */
  private static final String ANSWER = "Hi <EMAIL_1>! I called <PHONE_1> about <CARD_1>.<EMAIL_2><EMAIL_1>"
      + " a<b <<CARD_1>> <EMAIL_9> <PHONE_ <EMAIL_1";

  private final RedactionInterceptor redaction = RedactionInterceptor.withDefaults();

  private static ChatRequest request(String text) {
    return ChatRequest.builder().model("openai/gpt-4o-mini").user(text).build();
  }

  /** An independent reference: every known placeholder replaced by its value, nothing else touched. */
  private static String reference(String text, boolean json) {
    String out = text;
    for (Map.Entry<String, String> e : VALUES.entrySet()) {
      out = out.replace(e.getKey(), json ? e.getValue().replace("\"", "\\\"") : e.getValue());
    }
    return out;
  }

  /** {@code s} cut at {@code points}; empty pieces are left out, as providers do not send them. */
  private static List<String> cut(String s, int... points) {
    List<String> pieces = new ArrayList<>();
    int from = 0;
    for (int p : points) {
      pieces.add(s.substring(from, p));
      from = p;
    }
    pieces.add(s.substring(from));
    pieces.removeIf(String::isEmpty);
    return pieces;
  }

  /**
   * Streams {@code pieces} as text deltas through the interceptor and checks, after every chunk it
   * hands out, that what came out is exactly the restored form of what it pulled minus what it holds,
   * and that it holds less than the longest placeholder.
   */
  private String streamAndCheck(List<String> pieces) {
    ScriptedChain chain = new ScriptedChain(true);
    chain.chunks = req -> pieces.stream().<ChatChunk>map(ChatChunk.TextDelta::new).toList();
    StringBuilder emitted = new StringBuilder();
    try (ChatStream stream = redaction.interceptStream(request(PROMPT), chain.streams())) {
      RestoringChatStream restoring = (RestoringChatStream) stream;
      for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
        if (c instanceof ChatChunk.TextDelta t) {
          assertThat(t.text()).as("no empty deltas are made up").isNotEmpty();
          emitted.append(t.text());
        }
        int held = restoring.heldBack();
        assertThat(held).as("held back after %s", pieces).isLessThan(LONGEST_PLACEHOLDER);
        String pulled = chain.pulledText.toString();
        assertThat(emitted.toString()).as("emitted after %s", pieces)
            .isEqualTo(reference(pulled.substring(0, pulled.length() - held), false));
      }
      assertThat(restoring.heldBack()).isZero();
    }
    return emitted.toString();
  }

  @Test
  void aStreamIsRedactedOnTheWayInExactlyLikeABlockingCall() {
    ScriptedChain chain = new ScriptedChain(true);

    redaction.interceptStream(request(PROMPT), chain.streams()).close();

    assertThat(chain.last().messages().get(0).text())
        .isEqualTo("Mail <EMAIL_1> and <EMAIL_2>, call <PHONE_1>, charge <CARD_1>.");
  }

  @Test
  void refuseModeFailsAStreamBeforeItIsOpened() {
    RedactionInterceptor refusing = new RedactionInterceptor(
        RedactionPolicy.builder().mode(PiiType.EMAIL, RedactionMode.REFUSE).build());
    ScriptedChain chain = new ScriptedChain(true);

    assertThatThrownBy(() -> refusing.interceptStream(request(PROMPT), chain.streams()))
        .isInstanceOf(GuardRefusedException.class).hasMessageContaining("EMAIL")
        .hasMessageNotContaining(EMAIL);
    assertThat(chain.received).isEmpty();
  }

  @Test
  void aCallWithoutPlaceholdersGetsTheProvidersStreamUntouched() {
    ChatStream upstream = ChatStream.of(List.of(new ChatChunk.TextDelta("hello")));
    Interceptor.StreamChain chain = new Interceptor.StreamChain() {
      private final CallContext context = CallContext.standalone(true);

      @Override
      public ChatStream proceed(ChatRequest request) {
        return upstream;
      }

      @Override
      public CallContext context() {
        return context;
      }
    };

    assertThat(redaction.interceptStream(request("nothing personal here"), chain)).isSameAs(upstream);
  }

  @Test
  void theWholeAnswerInOneChunkIsRestored() {
    assertThat(streamAndCheck(List.of(ANSWER))).isEqualTo(reference(ANSWER, false));
    assertThat(reference(ANSWER, false)).endsWith("<EMAIL_9> <PHONE_ <EMAIL_1").contains("<" + CARD + ">");
  }

  @Test
  void everySingleSplitPointRestoresTheSameText() {
    String expected = reference(ANSWER, false);
    for (int p = 0; p <= ANSWER.length(); p++) {
      assertThat(streamAndCheck(cut(ANSWER, p))).as("split at %d", p).isEqualTo(expected);
    }
  }

  @Test
  void everyPairOfSplitPointsRestoresTheSameText() {
    String expected = reference(ANSWER, false);
    for (int p = 0; p <= ANSWER.length(); p++) {
      for (int q = p; q <= ANSWER.length(); q++) {
        assertThat(streamAndCheck(cut(ANSWER, p, q))).as("split at %d and %d", p, q).isEqualTo(expected);
      }
    }
  }

  @Test
  void oneCharacterPerChunkAndRandomChunkingsRestoreTheSameText() {
    String expected = reference(ANSWER, false);
    List<String> singles = new ArrayList<>();
    ANSWER.chars().forEach(c -> singles.add(String.valueOf((char) c)));
    assertThat(streamAndCheck(singles)).isEqualTo(expected);

    Random random = new Random(20240817L);
    for (int round = 0; round < 500; round++) {
      List<Integer> points = new ArrayList<>();
      for (int p = 1; p < ANSWER.length(); p++) {
        if (random.nextInt(4) == 0) {
          points.add(p);
        }
      }
      int[] array = points.stream().mapToInt(Integer::intValue).toArray();
      assertThat(streamAndCheck(cut(ANSWER, array))).as("cut at %s", points).isEqualTo(expected);
    }
  }

  @Test
  void aPendingPrefixIsLetGoAtTheFinishChunk() {
    ScriptedChain chain = new ScriptedChain(true);
    chain.chunks = req -> List.of(new ChatChunk.TextDelta("write to <EMA"));

    List<ChatChunk> out = new ArrayList<>();
    try (ChatStream stream = redaction.interceptStream(request(PROMPT), chain.streams())) {
      stream.forEach(out::add);
    }

    assertThat(out).containsExactly(
        new ChatChunk.Start("r-1", "m", "scripted", null),
        new ChatChunk.TextDelta("write to "),
        new ChatChunk.TextDelta("<EMA"),
        new ChatChunk.Finish(FinishReason.STOP, "stop"),
        new ChatChunk.UsageUpdate(dev.llmgateway.Usage.of(10, 5)));
  }

  @Test
  void toolCallArgumentDeltasSplitAtEveryPairOfPointsAreRestoredAndJsonEscaped() {
    String args = "{\"to\":\"<EMAIL_1>\",\"body\":\"card <CARD_1> for <PHONE_1>\",\"tail\":\"<EMAIL_\"}";
    String second = "{\"cc\":\"<EMAIL_2>\"}";
    for (int p = 0; p <= args.length(); p++) {
      for (int q = p; q <= args.length(); q += 3) {
        List<String> pieces = cut(args, p, q);
        ScriptedChain chain = new ScriptedChain(true);
        chain.chunks = req -> {
          List<ChatChunk> chunks = new ArrayList<>();
          chunks.add(new ChatChunk.TextDelta("Sending <EMAIL_"));
          chunks.add(new ChatChunk.ToolCallDelta(0, "call_1", "send_mail", ""));
          pieces.forEach(piece -> chunks.add(new ChatChunk.ToolCallDelta(0, null, null, piece)));
          chunks.add(new ChatChunk.ToolCallDelta(1, "call_2", "cc", second.substring(0, 9)));
          chunks.add(new ChatChunk.ToolCallDelta(1, null, null, second.substring(9)));
          return chunks;
        };
        ChatResponse response;
        int maxHeld = 0;
        ChatStream stream = redaction.interceptStream(request(PROMPT), chain.streams());
        List<ChatChunk> all = new ArrayList<>();
        for (ChatChunk c = stream.next(); c != null; c = stream.next()) {
          all.add(c);
          maxHeld = Math.max(maxHeld, ((RestoringChatStream) stream).heldBack());
        }
        stream.close();
        response = ChatStream.of(all).collect();

        assertThat(maxHeld).isLessThan(LONGEST_PLACEHOLDER);
        assertThat(response.text()).isEqualTo("Sending <EMAIL_");
        assertThat(response.toolCalls()).extracting(ContentPart.ToolCall::arguments)
            .as("cut at %d and %d", p, q).containsExactly(reference(args, true), reference(second, true));
        assertThat(response.toolCalls()).extracting(ContentPart.ToolCall::id)
            .containsExactly("call_1", "call_2");
      }
    }
  }

  @Test
  void toolCallDeltasWithoutIndexesStayWithTheirCall() {
    ScriptedChain chain = new ScriptedChain(true);
    chain.chunks = req -> List.of(
        new ChatChunk.ToolCallDelta(null, "a", "first", "{\"x\":\"<EMAIL_1"),
        new ChatChunk.ToolCallDelta(null, "b", "second", "{\"y\":\"<PHONE_1>\"}"),
        new ChatChunk.ToolCallDelta(null, null, null, ""));

    ChatResponse response = redaction.interceptStream(request(PROMPT), chain.streams()).collect();

    assertThat(response.toolCalls()).extracting(ContentPart.ToolCall::arguments)
        .containsExactly("{\"x\":\"<EMAIL_1", "{\"y\":\"" + PHONE + "\"}");
  }

  @Test
  void refusalDeltasAreRestoredToo() {
    ScriptedChain chain = new ScriptedChain(true);
    chain.chunks = req -> List.of(new ChatChunk.RefusalDelta("I won't mail <EMA"),
        new ChatChunk.RefusalDelta("IL_2>."));

    ChatResponse response = redaction.interceptStream(request(PROMPT), chain.streams()).collect();

    assertThat(response.refusal()).isEqualTo("I won't mail " + OTHER_EMAIL + ".");
  }

  @Test
  void aCollectedStreamEqualsTheBlockingAnswer() {
    ScriptedChain streaming = new ScriptedChain(true);
    streaming.chunks = req -> cut(ANSWER, 10, 11, 40, 70).stream().<ChatChunk>map(ChatChunk.TextDelta::new)
        .toList();
    ScriptedChain blocking = new ScriptedChain(false);
    blocking.answer = req -> ScriptedChain.answer(ANSWER);

    ChatResponse streamed = redaction.interceptStream(request(PROMPT), streaming.streams()).collect();
    ChatResponse blocked = redaction.intercept(request(PROMPT), blocking);

    assertThat(streamed.text()).isEqualTo(blocked.text()).isEqualTo(reference(ANSWER, false));
  }

  @Test
  void closingTheRestoredStreamClosesTheProviderStream() {
    ScriptedChain chain = new ScriptedChain(true);
    chain.chunks = req -> List.of(new ChatChunk.TextDelta("a <EMAIL_1> b"));

    ChatStream stream = redaction.interceptStream(request(PROMPT), chain.streams());
    stream.next();
    stream.close();

    assertThat(chain.streamsClosed).isEqualTo(1);
  }

  @Test
  void restoredStreamsWorkThroughMessageHistoryToo() {
    // A follow-up turn carries the restored answer; it is redacted again to the same placeholders.
    ScriptedChain chain = new ScriptedChain(true);
    ChatRequest followUp = ChatRequest.builder().model("openai/gpt-4o-mini")
        .user(PROMPT).message(Message.assistant("I mailed " + EMAIL + ".")).user("Thanks!").build();

    redaction.interceptStream(followUp, chain.streams()).close();

    assertThat(chain.last().messages().get(1).text()).isEqualTo("I mailed <EMAIL_1>.");
  }
}
