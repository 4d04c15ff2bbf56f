package dev.llmgateway.redaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmgateway.ChatRequest;
import dev.llmgateway.ChatResponse;
import dev.llmgateway.error.GuardRefusedException;
import dev.llmgateway.error.LlmConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Detectors the host adds: a regex, a dictionary, or a class of its own. */
class HostDetectorsTest {
  private static final PiiType EMPLOYEE_ID = PiiType.of("EMPLOYEE_ID");
  private static final PiiType NAME = PiiType.of("NAME");
  private static final PiiType PROJECT = PiiType.of("PROJECT");

  private static List<String> found(PiiDetector detector, String text) {
    return detector.detect(text).stream().map(PiiMatch::value).toList();
  }

  @Test
  void aRegexDetectorReportsEveryMatch() {
    PiiDetector ids = PiiDetector.regex(EMPLOYEE_ID, "\\bEMP-\\d{6}\\b");

    assertThat(found(ids, "EMP-004211 and EMP-777001, not EMP-12 or XEMP-123456"))
        .containsExactly("EMP-004211", "EMP-777001");
    assertThat(ids.detect("EMP-004211").get(0).type()).isEqualTo(EMPLOYEE_ID);
  }

  @Test
  void aRegexDetectorWithACheckKeepsOnlyApprovedMatchesAndLooksInsideRejectedOnes() {
    // Even numbers only; a rejected candidate must not hide one that starts inside it.
    PiiDetector even = PiiDetector.regex(PiiType.of("EVEN"), Pattern.compile("\\d{2}"),
        v -> Integer.parseInt(v) % 2 == 0);

    assertThat(found(even, "12 13 345")).containsExactly("12", "34");
  }

  @Test
  void aDictionaryMatchesWholeWordsCaseInsensitivelyLongestPhraseFirst() {
    PiiDetector names = PiiDetector.dictionary(NAME,
        List.of("Ana", "Ana Souza", "Jean-Luc Picard", "O'Brien", "Zoë"));

    assertThat(found(names, "ana souza met ANA, jean luc picard and Miles O'Brien; Anaconda and Zoë."))
        .containsExactly("ana souza", "ANA", "jean luc picard", "O'Brien", "Zoë");
    assertThat(found(names, "Banana, Ana_B, Anas")).isEmpty();
  }

  @Test
  void aDictionaryNeedsAWord() {
    assertThatThrownBy(() -> PiiDetector.dictionary(NAME, List.of(" ", "--")))
        .isInstanceOf(LlmConfigurationException.class);
  }

  @Test
  void aDictionaryDoesNotShowItsWordsInToString() {
    assertThat(PiiDetector.dictionary(NAME, List.of("Ana Souza")).toString()).doesNotContain("Ana");
  }

  @Test
  void aHostClassIsJustALambda() {
    // e.g. a call into a NER model; here: capitalised words after "Dr."
    Pattern doctor = Pattern.compile("Dr\\. (\\p{Lu}\\p{L}+)");
    PiiDetector doctors = text -> {
      List<PiiMatch> out = new ArrayList<>();
      Matcher m = doctor.matcher(text);
      while (m.find()) {
        out.add(PiiMatch.of(NAME, text, m.start(1), m.end(1)));
      }
      return out;
    };

    assertThat(found(doctors, "Ask Dr. Okafor or Dr. Lindqvist")).containsExactly("Okafor", "Lindqvist");
  }

  @Test
  void hostTypesGetTheirModeAndPlaceholdersAreRestoredLikeBuiltInOnes() {
    RedactionPolicy policy = RedactionPolicy.builder()
        .addRegex(EMPLOYEE_ID, "\\bEMP-\\d{6}\\b")
        .addDictionary(PROJECT, List.of("Bluebird"))
        .addDetector(PiiDetector.dictionary(NAME, List.of("Ana Souza")))
        .mode(PROJECT, RedactionMode.MASK)
        .build();
    ScriptedChain chain = new ScriptedChain(false);
    chain.answer = req -> ScriptedChain.answer("<NAME_1> (<EMPLOYEE_ID_1>) leads [PROJECT].");

    ChatResponse answer = new RedactionInterceptor(policy).intercept(ChatRequest.builder()
        .model("openai/gpt-4o-mini").user("Who leads bluebird? Ask Ana Souza, EMP-004211.").build(), chain);

    assertThat(chain.last().messages().get(0).text())
        .isEqualTo("Who leads [PROJECT]? Ask <NAME_1>, <EMPLOYEE_ID_1>.");
    assertThat(answer.text()).isEqualTo("Ana Souza (EMP-004211) leads [PROJECT].");
  }

  @Test
  void hostTypesCanRefuseTheCall() {
    RedactionPolicy policy = RedactionPolicy.builder()
        .addDictionary(PROJECT, List.of("Bluebird")).mode(PROJECT, RedactionMode.REFUSE).build();

    assertThatThrownBy(() -> new RedactionInterceptor(policy).intercept(ChatRequest.builder()
        .model("openai/gpt-4o-mini").user("Status of Bluebird?").build(), new ScriptedChain(false)))
        .isInstanceOf(GuardRefusedException.class).hasMessageContaining("PROJECT")
        .hasMessageNotContaining("Bluebird");
  }

  @Test
  void aHostDetectorOverlappingABuiltInOneLosesWhenShorter() {
    // The host's pattern sees only the domain; the built-in e-mail match is longer and wins.
    RedactionPolicy policy = RedactionPolicy.builder()
        .addRegex(PiiType.of("DOMAIN"), "example\\.com").build();

    assertThat(policy.detect("write to jane@example.com")).extracting(PiiMatch::type)
        .containsExactly(PiiType.EMAIL);
  }
}
