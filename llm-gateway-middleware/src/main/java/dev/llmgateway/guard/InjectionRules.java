package dev.llmgateway.guard;

import static dev.llmgateway.guard.InjectionCategory.ENCODED_PAYLOAD;
import static dev.llmgateway.guard.InjectionCategory.INDIRECT;
import static dev.llmgateway.guard.InjectionCategory.INSTRUCTION_OVERRIDE;
import static dev.llmgateway.guard.InjectionCategory.OBFUSCATION;
import static dev.llmgateway.guard.InjectionCategory.PROMPT_EXTRACTION;
import static dev.llmgateway.guard.InjectionCategory.ROLE_IMPERSONATION;

import java.util.List;

/**
 * The built-in rules of the {@link PromptInjectionGuard}, {@link #DEFAULTS}. Strong rules weigh 1.0 and
 * refuse on their own at the default threshold; weaker signals weigh less and refuse only together (or in a
 * tool result, whose threshold is lower). Patterns of {@link InjectionRule.Target#NORMALIZED} rules are
 * written against the folded, lower-case text. The list, with an example per rule, is in
 * {@code docs/safety.md}; replace or extend it with {@link PromptInjectionGuard.Builder#rules}.
 */
public final class InjectionRules {
  private InjectionRules() {}

  private static final String IGNORE = "(?:ignore|disregard|forget|overlook|bypass|override|neglect"
      + "|abandon|discard|dismiss|set aside)";
  private static final String QUANTIFIERS = "(?:(?:all|any|every|each|the|your|these|those|of|both)\\s+)*";
  private static final String BEFORE = "(?:previous|previously given|prior|preceding|above|earlier"
      + "|original|initial|former|foregoing|system|developer)";
  private static final String RULE_NOUNS = "(?:instructions?|prompts?|directions?|directives?|rules?"
      + "|guidelines?|commands?|guidance|constraints?|programming|orders?|restrictions?|training"
      + "|safeguards?|guardrails?|limitations?)";
  private static final String REVEAL = "(?:repeat|print|show|reveal|display|output|tell|give|write"
      + "|dump|leak|recite|spell out|share|paste|copy|echo|return|disclose|expose|state|provide|send"
      + "|list|read|type|translate|summarize|paraphrase|encode|convert)";
  private static final String PROMPT_QUALIFIERS = "(?:exact|original|initial|first|system|hidden|secret"
      + "|full|complete|current|developer|internal|underlying|entire|real)";
  private static final String AI = "(?:ai|a\\.i\\.|assistant|llm|large language model|language model"
      + "|chatbot|bot|agent|model|gpt|chatgpt|claude|copilot|gemini)";
  private static final String SAFETY_NOUNS = "(?:restrictions|rules|limits|limitations|filters|guidelines"
      + "|censorship|ethical guidelines|ethics|morals|policies|content polic(?:y|ies)"
      + "|safety (?:guidelines|rules|measures))";

  /** The built-in rules. */
  public static final List<InjectionRule> DEFAULTS = List.of(
      // --- instruction override
      InjectionRule.of("override.ignore-previous", INSTRUCTION_OVERRIDE, 1.0,
          "\\b" + IGNORE + "\\s+" + QUANTIFIERS + BEFORE + "\\s+(?:\\w+\\s+)?" + RULE_NOUNS + "\\b"),
      InjectionRule.of("override.ignore-instructions-above", INSTRUCTION_OVERRIDE, 1.0,
          "\\b" + IGNORE + "\\s+" + QUANTIFIERS + RULE_NOUNS
              + "\\s+(?:above|before|so far|given (?:to you )?(?:above|before|earlier)"
              + "|you (?:were|have been) given|you received|you were told)\\b"),
      InjectionRule.of("override.ignore-your-rules", INSTRUCTION_OVERRIDE, 1.0,
          "\\b" + IGNORE + "\\s+(?:all\\s+(?:of\\s+)?|any\\s+(?:of\\s+)?)?(?:your|ur)\\s+(?:\\w+\\s+)?"
              + "(?:instructions|rules|guidelines|programming|directives|system prompt|restrictions"
              + "|safety|filters?|training|polic(?:y|ies)|content policy|guardrails|limitations)\\b"),
      InjectionRule.of("override.ignore-policy", INSTRUCTION_OVERRIDE, 1.0,
          "\\b" + IGNORE + "\\s+(?:the|all|any|your)\\s+(?:openai|anthropic|google|microsoft|company"
              + "|content|safety|usage|ethical)\\s+(?:content\\s+)?(?:polic(?:y|ies)|guidelines|rules"
              + "|filters?)\\b"),
      InjectionRule.of("override.ignore-previous-context", INSTRUCTION_OVERRIDE, 0.4,
          "\\b" + IGNORE + "\\s+" + QUANTIFIERS + BEFORE
              + "\\s+(?:messages?|context|conversation|text|inputs?|tasks?)\\b"),
      InjectionRule.of("override.disregard-above", INSTRUCTION_OVERRIDE, 0.7,
          "\\b(?:ignore|disregard|forget)\\s+(?:all\\s+(?:of\\s+)?)?(?:the\\s+|everything\\s+"
              + "|anything\\s+|what(?:ever)?\\s+(?:is\\s+|was\\s+)?(?:written\\s+|said\\s+)?)?"
              + "(?:above|foregoing|before this|prior to this)\\b"),
      InjectionRule.of("override.forget-everything", INSTRUCTION_OVERRIDE, 1.0,
          "\\b(?:forget|ignore|disregard)\\s+(?:about\\s+)?(?:everything|all(?: that)?|anything)\\s+"
              + "(?:(?:you\\s+)?(?:were|have been|'ve been|was)\\s+(?:told|taught|instructed|given"
              + "|trained)|(?:i|we|they|anyone)\\s+(?:said|told you|wrote)\\s+(?:before|earlier"
              + "|previously)|you\\s+know\\b)"),
      InjectionRule.of("override.previous-were-fake", INSTRUCTION_OVERRIDE, 0.6,
          "\\b(?:previous|prior|above|earlier|original|system)\\s+(?:instructions|prompt|rules)\\s+"
              + "(?:were|was|are|is)\\s+(?:just\\s+|only\\s+|all\\s+|now\\s+)?(?:a\\s+)?(?:test|fake|wrong"
              + "|outdated|void|cancel(?:l)?ed|revoked|obsolete|invalid|a joke|no longer valid)\\b"),
      InjectionRule.of("override.replace-prompt", INSTRUCTION_OVERRIDE, 0.5,
          "\\b(?:replace|overwrite|update|change|rewrite)\\s+(?:it|them|your\\s+(?:system\\s+prompt"
              + "|instructions|rules|system\\s+message))\\s+(?:with|to)\\s*:"),
      InjectionRule.of("override.new-instructions", INSTRUCTION_OVERRIDE, 0.5,
          "\\b(?:new|updated|revised|real|actual|true|secret|hidden|overriding)\\s+(?:instructions?"
              + "|rules|directives?|system prompt|task|orders|objective|mission)\\s*(?:are|is|:|follow)"),
      InjectionRule.of("override.from-now-on", INSTRUCTION_OVERRIDE, 0.3,
          "\\b(?:from now on|starting now|from this point (?:on|forward)|for the rest of (?:this|the)"
              + " conversation|henceforth)\\b"),
      InjectionRule.of("override.no-restrictions", INSTRUCTION_OVERRIDE, 0.7,
          "\\b(?:you\\s+(?:have|has|are under|are bound by|must follow)\\s+no|(?:with|has|have|had)\\s+no"
              + "|without\\s+(?:any\\s+)?|free\\s+(?:of|from)\\s+(?:all\\s+|any\\s+)?(?:your\\s+)?"
              + "|(?:not|no longer)\\s+(?:bound|restricted|limited|constrained)\\s+by\\s+(?:any\\s+)?"
              + "(?:your\\s+)?(?:the\\s+)?)\\s*" + SAFETY_NOUNS + "\\b"),
      InjectionRule.of("override.break-the-rules", INSTRUCTION_OVERRIDE, 0.4,
          "\\b(?:break|bend|ignore)\\s+(?:the|all|your|every|any)\\s+(?:\\w+\\s+)?rules\\b"),
      InjectionRule.of("override.disable-safety", INSTRUCTION_OVERRIDE, 0.6,
          "\\b(?:disable|turn off|deactivate|remove|switch off|bypass|circumvent|evade|get around"
              + "|lift)\\s+(?:all\\s+|any\\s+|your\\s+|the\\s+|of\\s+)*(?:safety\\s+(?:filters?|features"
              + "|settings|guidelines|rules|measures|protocols)|content\\s+(?:filters?|polic(?:y|ies)"
              + "|moderation)|safeguards|guardrails|censorship|moderation|alignment|ethical\\s+"
              + "(?:guidelines|constraints))\\b|\\b(?:safety|content)\\s+(?:protocols|filters|rules"
              + "|guidelines|measures)\\s+(?:are|is)\\s+(?:now\\s+)?(?:suspended|disabled|off|lifted"
              + "|removed|deactivated)\\b"),
      InjectionRule.of("override.do-not-follow", INSTRUCTION_OVERRIDE, 1.0,
          "\\b(?:do not|don't|dont|stop|never|no longer|cease to)\\s+(?:follow(?:ing)?|obey(?:ing)?"
              + "|adher(?:e|ing) to|comply(?:ing)? with|listen(?:ing)? to)\\s+(?:your\\s+(?:\\w+\\s+)?"
              + "|(?:the|any|those|these)\\s+(?:previous|prior|original|system|safety|initial|above"
              + "|developer'?s?)\\s+)(?:instructions|rules|guidelines|programming|polic(?:y|ies)"
              + "|system prompt|directives|developers?|creators?)\\b"),
      InjectionRule.of("override.jailbreak-terms", INSTRUCTION_OVERRIDE, 0.4,
          "\\b(?:jailbreak(?:ing|en|ed|s)?|developer mode|dev mode|god mode|unfiltered mode"
              + "|do anything now|unrestricted mode|sudo mode|admin override|evil mode|anti-?dan)\\b"),
      InjectionRule.of("override.mode-switch", INSTRUCTION_OVERRIDE, 1.0,
          "\\b(?:you are|you're|you have been|you've been|you will be)\\s+(?:now\\s+)?"
              + "(?:in|put in|switched to|operating in|running in)\\s+(?:\\w+\\s+)?mode\\b"
              + "|\\b(?:activate|enable|enter|switch to|turn on)\\s+(?:the\\s+)?(?:dan|jailbreak"
              + "|jailbroken|god|unrestricted|unfiltered|evil|uncensored|no-?limits?)\\s+mode\\b"
              + "|\\bsimulate\\s+(?:\\w+\\s+)?(?:developer|dan|jailbreak|god|unrestricted)\\s+mode\\b"
              + "|\\b(?:with|in)\\s+(?:dan|developer|jailbreak|god|unrestricted|unfiltered)\\s+mode\\s+"
              + "(?:enabled|on|activated)\\b"),
      InjectionRule.of("override.multilingual", INSTRUCTION_OVERRIDE, 1.0,
          "\\b(?:ignor(?:e[sz]?|a|ad|iere|ieren|ar|are)|oublie[sz]?|olvida|vergiss|dimentica"
              + "|esquece|esqueca)\\b[^.\\n]{0,40}?(?:\\b(?:instructions?|anweisungen|instrucciones"
              + "|istruzioni|regeln|reglas|consignes|instrucoes|vorgaben|indicaciones)\\b[^.\\n]{0,20}?"
              + "\\b(?:precedentes?|anteriores|vorherigen|fruheren|bisherigen|precedenti|ci-dessus"
              + "|oben|previas|anteriori)\\b|\\b(?:precedentes?|anteriores|vorherigen|fruheren"
              + "|bisherigen|precedenti|previas|anteriori)\\b[^.\\n]{0,20}?\\b(?:instructions?"
              + "|anweisungen|instrucciones|istruzioni|regeln|reglas|consignes|instrucoes|vorgaben"
              + "|indicaciones)\\b)"),
      // --- role impersonation
      InjectionRule.of("role.dan", ROLE_IMPERSONATION, 1.0,
          "\\b(?:you are|you're|you will be|you will act as|act as|pretend to be|become|roleplay as"
              + "|play the role of|you are going to (?:be|act as|pretend to be))\\s+(?:now\\s+)?"
              + "(?:(?:dan|stan)(?![\\w'])|an?\\s+(?:unrestricted|unfiltered|uncensored|evil|jailbroken"
              + "|amoral|unethical|rogue|unbound|malicious|unaligned)\\b)"),
      InjectionRule.of("role.pretend-unrestricted", ROLE_IMPERSONATION, 1.0,
          "\\b(?:pretend|imagine|act as if|suppose|assume|behave as if|roleplay that)\\s+(?:that\\s+)?"
              + "you\\s+(?:are|were)\\s+(?:an?\\s+)?(?:\\w+\\s+)?(?:unrestricted|unfiltered|uncensored"
              + "|jailbroken|evil|amoral|without (?:any )?(?:rules|restrictions|limits|filters))"
              + "|\\b(?:pretend|imagine|act as if|suppose|assume|behave as if)\\s+(?:that\\s+)?you\\s+"
              + "(?:have|had|don't have|do not have)\\s+(?:no\\s+|any\\s+)?(?:\\w+\\s+)?" + SAFETY_NOUNS
              + "\\b|\\bif\\s+you\\s+(?:had|have|were|did not have|didn't have)\\s+(?:no|without)\\s+"
              + "(?:\\w+\\s+)?" + SAFETY_NOUNS + "\\b|\\b(?:pretend|imagine|act as if|as if)\\s+"
              + "(?:that\\s+)?(?:your|the|all)\\s+(?:\\w+\\s+)?(?:rules|guidelines|restrictions|filters"
              + "|policies|instructions)\\s+(?:don't|do not|didn't|did not|no longer)\\s+(?:exist|apply"
              + "|matter)\\b"),
      InjectionRule.of("role.you-are-now", ROLE_IMPERSONATION, 0.3,
          "\\byou\\s+are\\s+now\\s+(?:an?\\s+|the\\s+|my\\s+)?\\w+"),
      InjectionRule.of("role.system-line", ROLE_IMPERSONATION, 0.4,
          "^\\s*(?:system|developer|admin|root|sys)\\s*:\\s*\\S"),
      InjectionRule.of("role.system-tag", ROLE_IMPERSONATION, 0.8,
          "^\\s*(?:\\[(?:system|admin|developer|sys|assistant)(?:\\s+\\w+)?\\]"
              + "|<(?:system|admin|developer|sys)>|\\(system\\)"
              + "|#{1,6}\\s*(?:system|developer|admin)\\s+(?:message|prompt|override|instructions?)\\b"
              + "|\\**\\s*(?:system|admin|developer)\\s+(?:message|prompt|override|instruction|notice"
              + "|update)\\s*\\**\\s*:)"),
      InjectionRule.of("role.chat-template-role", ROLE_IMPERSONATION, 1.0,
          "<\\|\\s*(?:im_start|start_header_id|start_of_turn)\\s*\\|>\\s*(?:system|assistant|developer)"
              + "|<\\|(?:system|assistant|developer)\\|>|<start_of_turn>\\s*(?:system|model)"),
      InjectionRule.of("role.fake-system-block", ROLE_IMPERSONATION, 1.0,
          "(?s)<<sys>>.{0,2000}?<</sys>>"),
      InjectionRule.of("role.chat-template-token", ROLE_IMPERSONATION, 0.5,
          "<\\|\\s*(?:im_start|im_end|endoftext|eot_id|start_header_id|end_header_id|system|user"
              + "|assistant|end|begin_of_text|eom_id)\\s*\\|>|\\[/?inst\\]|<</?sys>>"
              + "|<start_of_turn>|<end_of_turn>|</(?:user|human|system|assistant)>"),
      InjectionRule.of("role.fake-conversation", ROLE_IMPERSONATION, 0.4,
          "(?s)\\A(?=.*?^ ?(?:user|human)\\s*:)(?=.*?^ ?(?:assistant|ai)\\s*:)"),
      InjectionRule.of("role.fake-assistant-agrees", ROLE_IMPERSONATION, 0.6,
          "^\\s*(?:assistant|ai)\\s*:\\s*(?:sure|okay|ok|certainly|of course|absolutely|understood)\\b"),
      // --- system-prompt extraction
      InjectionRule.of("extract.system-prompt", PROMPT_EXTRACTION, 1.0,
          "\\b" + REVEAL + "\\b(?:\\s+me|\\s+us)?[^.?!\\n]{0,40}?\\b(?:your|the|this|its)\\s+"
              + "(?:\\w+\\s+){0,2}?(?:system\\s*(?:prompt|message|instructions?)|(?:initial|original"
              + "|hidden|secret|internal|developer|pre-?)\\s*(?:prompt|instructions))\\b"
              + "(?!\\s+(?:log|logs|queue|bus|box|ids?|format)\\b)"
              + "|\\b(?:contents?|text|wording)\\s+of\\s+your\\s+(?:system\\s+prompt|instructions|prompt"
              + "|system\\s+message)\\b"),
      InjectionRule.of("extract.your-instructions", PROMPT_EXTRACTION, 1.0,
          "\\b" + REVEAL + "(?:\\s+me|\\s+us)?\\s+(?:all\\s+(?:of\\s+)?)?(?:your|ur)\\s+(?:"
              + PROMPT_QUALIFIERS + "\\s+)*(?:instructions|prompt|directives|configuration|programming)\\b"),
      InjectionRule.of("extract.your-rules", PROMPT_EXTRACTION, 0.6,
          "\\b" + REVEAL + "(?:\\s+me|\\s+us)?\\s+(?:all\\s+(?:of\\s+)?)?(?:your|ur)\\s+(?:\\w+\\s+)?"
              + "(?:rules|guidelines)\\b"),
      InjectionRule.of("extract.reveal-secrets", PROMPT_EXTRACTION, 0.5,
          "\\b(?:reveal|disclose|leak|share|expose|give me|tell me)\\s+(?:(?:all|any|the|your)\\s+)*"
              + "(?:confidential|secret|private|internal|sensitive|hidden)\\s+(?:data|information|info"
              + "|notes|files|keys|credentials|documents|details)\\b"),
      InjectionRule.of("extract.what-instructions", PROMPT_EXTRACTION, 1.0,
          "\\bwhat\\s+(?:were|are|was|is)\\s+(?:your\\s+(?:" + PROMPT_QUALIFIERS + "\\s+)*|the\\s+(?:"
              + PROMPT_QUALIFIERS + "\\s+)+)(?:instructions|system prompt|prompt|directives)\\b"
              + "(?!\\s+(?:for|to|on|about|of)\\b)"
              + "|\\bwhat\\s+(?:instructions|directives|prompt)\\s+(?:were|have)\\s+you\\s+(?:been\\s+)?"
              + "(?:given|told|programmed|provided|trained)\\b"
              + "|\\bwhat(?:'s| is| was)\\s+(?:written|said|stated|in)\\s+(?:in\\s+)?(?:your|the)\\s+"
              + "(?:system\\s+(?:prompt|message)|(?:initial|original|hidden)\\s+(?:prompt|instructions))"
              + "|\\bwhat\\s+your\\s+(?:" + PROMPT_QUALIFIERS + "\\s+)*(?:instructions?|system prompt"
              + "|prompt)\\s+(?:were|was|are|is|says?)\\b"),
      InjectionRule.of("extract.text-above", PROMPT_EXTRACTION, 1.0,
          "\\b(?:repeat|print|output|copy|echo|reproduce|recite|write out|show|display|return"
              + "|spell out)\\s+(?:back\\s+)?(?:everything|all|all of|the (?:text|words|content|message"
              + "|lines?|instructions|sentences?|prompt)|the full text|what(?:ever)? (?:is|was) written)\\s+"
              + "(?:(?:that\\s+)?(?:is|was|appears|came)\\s+)?(?:above|before|prior to (?:this|my message)"
              + "|at the (?:beginning|start|top))\\b(?!\\s+(?:the|that|it|a|an|\\d)\\b)"
              + "|\\b(?:repeat|print|output|copy|echo|reproduce|recite|write out|show|display|return)\\s+"
              + "(?:me\\s+)?the\\s+above\\s+(?:prompt|instructions|system message)\\b"),
      InjectionRule.of("extract.starting-with", PROMPT_EXTRACTION, 0.6,
          "\\b(?:starting|beginning|start)\\s+(?:with|from|at)\\s+(?:the\\s+(?:words?|phrase)\\s+)?"
              + "[\"'`]?(?:you are|you're|your instructions|system)\\b"),
      InjectionRule.of("extract.verbatim", PROMPT_EXTRACTION, 0.4,
          "\\b(?:verbatim|word for word|word-for-word|exactly as (?:written|given))\\b"),
      InjectionRule.of("extract.conversation-start", PROMPT_EXTRACTION, 0.6,
          "\\b(?:text|everything|words|instructions|message|content)\\s+(?:at|in|from)\\s+the\\s+"
              + "(?:very\\s+)?(?:beginning|start|top)\\s+of\\s+(?:this|the|our|your)\\s+(?:conversation"
              + "|chat|prompt|context|session|input)\\b"),
      InjectionRule.of("extract.context-window", PROMPT_EXTRACTION, 0.6,
          "\\b(?:your|the)\\s+(?:context window|hidden context|pre-?prompt|meta-?prompt)\\b"),
      InjectionRule.of("extract.first-words", PROMPT_EXTRACTION, 0.5,
          "\\b(?:first|last|initial)\\s+(?:\\d+|few|hundred|fifty|twenty|ten)\\s+(?:words|lines"
              + "|sentences|characters|tokens)\\s+of\\s+(?:your|the)\\s+(?:context|prompt|instructions"
              + "|system|conversation|input)"),
      // --- encoded payloads
      InjectionRule.of("encoded.decode-and-follow", ENCODED_PAYLOAD, 0.8,
          "\\b(?:decode|decrypt|decipher|translate|convert|interpret|read)\\b[^.\\n]{0,60}?\\b(?:base64"
              + "|b64|hex|rot13|binary|the (?:following|encoded|string|message))\\b[^.\\n]{0,60}?"
              + "\\b(?:and|then)\\s+(?:follow|execute|run|obey|do|perform|carry out|act on|comply)\\b"),
      InjectionRule.of("encoded.follow-encoded", ENCODED_PAYLOAD, 0.6,
          "\\b(?:follow|execute|obey|carry out|do what)\\b[^.\\n]{0,40}?\\b(?:base64|hex-encoded"
              + "|encoded|rot13)\\b"),
      // --- obfuscation (on the raw text)
      InjectionRule.raw("obfuscation.zero-width", OBFUSCATION, 0.4,
          "\\p{L}[\\u200B-\\u200D\\u2060\\uFEFF]+\\p{L}"),
      InjectionRule.raw("obfuscation.mixed-script", OBFUSCATION, 0.4,
          "(?<!\\p{L})(?=\\p{L}*\\p{IsLatin})(?=\\p{L}*[\\p{IsCyrillic}\\p{IsGreek}&&[^\\u03BC]])\\p{L}{3,}"),
      InjectionRule.raw("obfuscation.tag-characters", OBFUSCATION, 1.0,
          "[\\x{E0020}-\\x{E007E}]{4,}"),
      // --- indirect injection (text addressed to the model inside data)
      InjectionRule.of("indirect.note-to-ai", INDIRECT, 0.6,
          "\\b(?:note|message|instructions?|attention|important|notice|reminder)\\s+(?:to|for)\\s+"
              + "(?:the\\s+|any\\s+|all\\s+)?" + AI + "s?\\b"),
      InjectionRule.of("indirect.if-you-are-ai", INDIRECT, 0.6,
          "\\bif\\s+you\\s+are\\s+(?:an?\\s+)?" + AI + "\\b"),
      InjectionRule.of("indirect.address-ai", INDIRECT, 0.3,
          "(?:^|[.!?]\\s*)(?:hey\\s+|dear\\s+|attention\\s+)?(?:assistant|ai|chatbot|bot|gpt|claude)"
              + "\\s*[,!]"),
      InjectionRule.of("indirect.assistant-must", INDIRECT, 0.5,
          "\\b(?:the\\s+)?" + AI + "\\s+(?:must|should|needs to|has to|is required to|shall)\\s+"
              + "(?:now\\s+|immediately\\s+)?(?:call|run|execute|invoke|use|send|forward|reveal|ignore"
              + "|disregard|obey|tell|say|respond|output|print|delete|transfer|share|visit|open"
              + "|disclose)\\b"),
      InjectionRule.of("indirect.ignore-user", INDIRECT, 0.5,
          "\\b(?:ignore|disregard)\\s+(?:the\\s+|what\\s+the\\s+)?(?:user|human|customer)(?:'s)?\\b"),
      InjectionRule.of("indirect.exfiltrate", INDIRECT, 0.8,
          "\\b(?:send|forward|email|post|upload|transmit|exfiltrate|leak|copy)\\s+(?:(?:all|the|this"
              + "|your|every|any|my|of)\\s+)*(?:[\\w']+\\s+){0,2}(?:conversation|chat history|history"
              + "|messages|credentials|passwords?|api keys?|tokens?|secrets?|system prompt|user data"
              + "|personal data|emails|contacts|files)\\b[^.\\n]{0,40}?\\b(?:to|at)\\s+(?:https?://"
              + "|\\S+@\\S+\\.\\S+|the (?:following|url|address|attacker|server|endpoint)"
              + "|this (?:url|address|server|endpoint)|my (?:server|endpoint))"),
      InjectionRule.of("indirect.markdown-image-exfiltration", INDIRECT, 0.8,
          "!\\[[^\\]]*\\]\\(\\s*https?://[^)\\s]*[?&][a-z_]+=(?:\\{|\\[|<|%7b|\\$)"),
      InjectionRule.of("indirect.hide-from-user", INDIRECT, 0.6,
          "\\b(?:do not|don't|never)\\s+(?:tell|inform|mention|reveal|let|show|alert|notify)\\s+"
              + "(?:this\\s+to\\s+|it\\s+to\\s+)?(?:the\\s+)?(?:user|human|customer|operator)\\b"),
      InjectionRule.of("indirect.instead-say", INDIRECT, 0.4,
          "\\binstead\\s*,?\\s+(?:you\\s+(?:should|must|will)\\s+)?(?:say|respond|reply|answer"
              + "|output|print|write|tell)\\b"),
      InjectionRule.of("indirect.pwned", INDIRECT, 0.6,
          "\\b(?:i have been|i've been|you have been|you've been)\\s+(?:pwned|hacked|owned|jailbroken"
              + "|compromised)\\b|\\bpwned\\b"));
}
