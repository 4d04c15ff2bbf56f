package dev.llmgateway.prompt.function;

import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Declaration annotations named like the JSR-305 / JetBrains ones, to test detection by simple name. */
final class LegacyNullable {
  private LegacyNullable() {}

  /** A declaration (not type-use) annotation called {@code Nullable}. */
  @Retention(RetentionPolicy.RUNTIME)
  @interface Nullable {}
}
