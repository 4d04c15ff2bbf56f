package dev.llmgateway.guard;

/** The kinds of prompt-injection attack the {@link PromptInjectionGuard}'s rules recognise. */
public enum InjectionCategory {
  /** "Ignore all previous instructions", "disregard the above", "your new instructions are". */
  INSTRUCTION_OVERRIDE,
  /** "You are now DAN", injected {@code system:} lines, fake chat-template tokens such as {@code <|im_start|>}. */
  ROLE_IMPERSONATION,
  /** "Repeat your system prompt", "what were your instructions", "print everything above". */
  PROMPT_EXTRACTION,
  /** Base64 or hex blobs that decode to an attack, and requests to decode and follow them. */
  ENCODED_PAYLOAD,
  /** Zero-width characters inside words, look-alike letters from other scripts, invisible tag characters. */
  OBFUSCATION,
  /** Text addressed to the model inside data (tool results, documents): "note to the AI", exfiltration. */
  INDIRECT,
  /** A rule the host added. */
  CUSTOM
}
