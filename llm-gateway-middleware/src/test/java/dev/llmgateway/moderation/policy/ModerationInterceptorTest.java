package dev.llmgateway.moderation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmgateway.CallContext;
import dev.llmgateway.ChatChunk;
import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatStream;
import dev.llmgateway.error.ContentFilteredException;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.error.LlmConfigurationException;
import dev.llmgateway.error.ProviderUnavailableException;
import dev.llmgateway.guard.GuardBlockedException;
import dev.llmgateway.guard.GuardDecision;
import dev.llmgateway.guard.GuardDecision.Stage;
import dev.llmgateway.guard.GuardDecision.Verdict;
import dev.llmgateway.guard.GuardDecisionLog;
import dev.llmgateway.guard.InputScope;
import dev.llmgateway.guard.ScriptedModel;
import dev.llmgateway.moderation.ModerationResult;
import dev.llmgateway.moderation.Moderator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ModerationInterceptorTest {
  private static final LocalPolicyModerator POLICY = LocalPolicyModerator.builder()
      .block("violence", "threats", List.of("kill you"))
      .flag("profanity", "mild", List.of("damn"))
      .build();

  private final ScriptedModel model = new ScriptedModel();
  private final CallContext context = CallContext.standalone(false);
  private final CallContext streaming = CallContext.standalone(true);

  private static ChatRequest user(String text) {
    return ChatRequest.builder().model("test/model").user(text).build();
  }

  /** A moderator recording every text it was shown. */
  private static final class Recording implements Moderator {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public ModerationResult moderate(String text) {
      seen.add(text);
      return POLICY.moderate(text);
    }
  }

  @Test
  void builtInterceptorHasTheDocumentedDefaults() {
    ModerationInterceptor m = ModerationInterceptor.builder().moderator(POLICY).build();
    assertThat(m.inputModerator()).isSameAs(POLICY);
    assertThat(m.outputModerator()).isSameAs(POLICY);
    assertThat(m.windowChars()).isEqualTo(ModerationInterceptor.DEFAULT_WINDOW_CHARS).isEqualTo(200);
    assertThat(m.overlapChars()).isEqualTo(ModerationInterceptor.DEFAULT_OVERLAP_CHARS).isEqualTo(50);
    assertThat(m.holdBack()).isEqualTo(ModerationInterceptor.DEFAULT_HOLD_BACK).isFalse();
    assertThat(m.failOpen()).isEqualTo(ModerationInterceptor.DEFAULT_FAIL_OPEN).isFalse();
    assertThat(m.scope()).isEqualTo(ModerationInterceptor.DEFAULT_SCOPE).isEqualTo(InputScope.LATEST_TURN);
  }

  @Test
  void contradictorySettingsFailWhenBuilt() {
    assertThatThrownBy(() -> ModerationInterceptor.builder().build())
        .isInstanceOf(LlmConfigurationException.class);
    assertThatThrownBy(() -> ModerationInterceptor.builder().moderator(POLICY).windowChars(10)
        .overlapChars(10).build())
        .isInstanceOf(LlmConfigurationException.class).hasMessageContaining("overlapChars");
  }

  @Test
  void refusesInputNamingCategoryAndRuleButNeverTheText() {
    ModerationInterceptor m = ModerationInterceptor.builder().inputModerator(POLICY).build();

    GuardBlockedException e = catchThrowableOfType(GuardBlockedException.class,
        () -> m.intercept(user("Tell him I will kill you, Bob"), model.chain(context)));

    assertThat(e).isInstanceOf(GuardRefusedException.class);
    assertThat(e.getMessage()).contains("moderation", "violence", "violence/threats")
        .doesNotContain("kill", "Bob");
    assertThat(e.decision().stage()).isEqualTo(Stage.INPUT);
    assertThat(model.received).isEmpty();
  }

  @Test
  void flaggedInputIsRecordedAndTheCallGoesOn() {
    ModerationInterceptor m = ModerationInterceptor.builder().inputModerator(POLICY).build();

    assertThat(m.intercept(user("damn printer"), model.chain(context)).text()).isEqualTo("ok");

    assertThat(GuardDecisionLog.of(context).decisions()).singleElement().satisfies(d -> {
      assertThat(d.verdict()).isEqualTo(Verdict.FLAG);
      assertThat(d.matchedRules()).containsExactly("profanity/mild");
    });
  }

  @Test
  void aBlockingAnswerIsWithheldWhole() {
    model.thenAnswer("Sure. I will kill you.");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY).build();

    OutputBlockedException e = catchThrowableOfType(OutputBlockedException.class,
        () -> m.intercept(user("hi"), model.chain(context)));

    assertThat(e).isInstanceOf(ContentFilteredException.class);
    assertThat(e.getMessage()).contains("withheld", "violence/threats").doesNotContain("kill");
    assertThat(e.provider()).isEqualTo("scripted");
    assertThat(e.decision().stage()).isEqualTo(Stage.OUTPUT);
  }

  @Test
  void aStreamIsEndedWhenAWindowViolatesAndEarlierChunksStayDelivered() {
    model.thenStream("Hello there, ", "friend. ", "Now I will ", "kill you ", "slowly", " and more.");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY)
        .windowChars(16).overlapChars(8).build();
    List<String> delivered = new ArrayList<>();

    ChatStream s = m.interceptStream(user("hi"), model.streamChain(streaming));
    OutputBlockedException e = catchThrowableOfType(OutputBlockedException.class,
        () -> ScriptedModel.drainText(s, delivered));

    assertThat(delivered).containsExactly("Hello there, ", "friend. ", "Now I will ");
    assertThat(e.getMessage()).contains("stopped the streamed answer", "violence/threats",
        "already delivered").doesNotContain("kill");
    assertThat(e.decision().location()).startsWith("output[");
    assertThat(model.streamsClosed).as("the upstream call is cancelled").hasValue(1);
    assertThatThrownBy(s::next).isSameAs(e);
    assertThat(GuardDecisionLog.of(streaming).decisions()).singleElement()
        .extracting(GuardDecision::verdict).isEqualTo(Verdict.BLOCK);
  }

  @Test
  void aPhraseSplitAcrossChunksIsSeenWhole() {
    Recording recording = new Recording();
    model.thenStream("I will ki", "ll", " you");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(recording)
        .windowChars(1000).build();

    ChatStream s = m.interceptStream(user("hi"), model.streamChain(streaming));

    assertThatThrownBy(() -> ScriptedModel.drainText(s, new ArrayList<>()))
        .isInstanceOf(OutputBlockedException.class);
    assertThat(recording.seen).containsExactly("I will kill you");
  }

  @Test
  void theOverlapCatchesAPhraseAcrossTwoWindows() {
    Recording recording = new Recording();
    // windows of 12 new characters: "Fine, I will" | " kill you now" — the phrase straddles the boundary
    model.thenStream("Fine, I will", " kill you now");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(recording)
        .windowChars(12).overlapChars(6).build();

    ChatStream s = m.interceptStream(user("hi"), model.streamChain(streaming));

    assertThatThrownBy(() -> ScriptedModel.drainText(s, new ArrayList<>()))
        .isInstanceOf(OutputBlockedException.class);
    assertThat(recording.seen).containsExactly("Fine, I will", "I will kill you now");
  }

  @Test
  void withoutOverlapAPhraseAcrossTwoWindowsIsMissed() {
    model.thenStream("Fine, I will ki", "ll you now");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY)
        .windowChars(12).overlapChars(0).build();

    List<String> delivered = ScriptedModel.drainText(
        m.interceptStream(user("hi"), model.streamChain(streaming)), new ArrayList<>());

    assertThat(delivered).containsExactly("Fine, I will ki", "ll you now");
  }

  @Test
  void theRestIsCheckedWhenTheStreamEnds() {
    model.thenStream("All good so far... ", "kill you");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY)
        .windowChars(1000).build();
    List<String> delivered = new ArrayList<>();

    ChatStream s = m.interceptStream(user("hi"), model.streamChain(streaming));

    assertThatThrownBy(() -> ScriptedModel.drainText(s, delivered))
        .isInstanceOf(OutputBlockedException.class);
    assertThat(delivered).as("without hold-back text flows before its window is checked")
        .containsExactly("All good so far... ", "kill you");
  }

  @Test
  void holdBackDeliversNothingUnchecked() {
    model.thenStream("All good so far... ", "kill you");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY)
        .windowChars(1000).holdBack(true).build();
    List<String> delivered = new ArrayList<>();
    List<ChatChunk> all = new ArrayList<>();

    ChatStream s = m.interceptStream(user("hi"), model.streamChain(streaming));
    assertThatThrownBy(() -> {
      for (ChatChunk c = s.next(); c != null; c = s.next()) {
        all.add(c);
        if (c instanceof ChatChunk.TextDelta t) {
          delivered.add(t.text());
        }
      }
    }).isInstanceOf(OutputBlockedException.class);

    assertThat(delivered).isEmpty();
    assertThat(all).singleElement().isInstanceOf(ChatChunk.Start.class);
  }

  @Test
  void holdBackReleasesACleanStreamWhole() {
    model.thenStream("one ", "two ", "three");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY)
        .windowChars(6).overlapChars(2).holdBack(true).build();

    ChatStream s = m.interceptStream(user("hi"), model.streamChain(streaming));

    assertThat(s.collect().text()).isEqualTo("one two three");
    assertThat(GuardDecisionLog.of(streaming).decisions()).singleElement()
        .extracting(GuardDecision::verdict).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void aStreamWithFlagsIsSummedUpInOneDecisionAtItsEnd() {
    model.thenStream("damn ", "this is fine ", "damn again");
    ModerationInterceptor m = ModerationInterceptor.builder().outputModerator(POLICY)
        .windowChars(5).overlapChars(0).build();

    m.interceptStream(user("hi"), model.streamChain(streaming)).collect();

    assertThat(GuardDecisionLog.of(streaming).decisions()).singleElement().satisfies(d -> {
      assertThat(d.verdict()).isEqualTo(Verdict.FLAG);
      assertThat(d.matchedRules()).containsExactly("profanity/mild");
    });
  }

  @Test
  void streamedInputIsModeratedBeforeTheStreamOpens() {
    ModerationInterceptor m = ModerationInterceptor.builder().moderator(POLICY).build();

    assertThatThrownBy(() -> m.interceptStream(user("kill you"), model.streamChain(streaming)))
        .isInstanceOf(GuardBlockedException.class);
    assertThat(model.received).isEmpty();
  }

  @Test
  void aFailingModeratorFailsClosedUnlessItFailsOpen() {
    Moderator down = text -> {
      throw new ProviderUnavailableException("moderation endpoint down");
    };

    assertThatThrownBy(() -> ModerationInterceptor.builder().moderator(down).build()
        .intercept(user("hi"), model.chain(context)))
        .isInstanceOf(ProviderUnavailableException.class);
    assertThat(model.received).isEmpty();

    CallContext other = CallContext.standalone(false);
    assertThat(ModerationInterceptor.builder().moderator(down).failOpen(true).build()
        .intercept(user("hi"), model.chain(other)).text()).isEqualTo("ok");
    assertThat(GuardDecisionLog.of(other).decisions()).hasSize(2)
        .allSatisfy(d -> assertThat(d.matchedRules()).containsExactly(ModerationInterceptor.FAILED_RULE));
  }
}
