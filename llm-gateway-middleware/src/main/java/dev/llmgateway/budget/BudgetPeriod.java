package dev.llmgateway.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * How long a {@link Budget}'s spending accumulates before it starts again from zero. Days and months
 * follow the calendar of the budget's time zone.
 */
public enum BudgetPeriod {
  /** A calendar day; key {@code 2025-06-01}. */
  DAY,
  /** A calendar month; key {@code 2025-06}. */
  MONTH,
  /** Never resets; key {@code total}. */
  TOTAL;

  /** The name of the period {@code now} falls in, e.g. {@code 2025-06-01}, {@code 2025-06}, {@code total}. */
  public String key(Instant now, ZoneId zone) {
    return switch (this) {
      case DAY -> LocalDate.ofInstant(now, zone).toString();
      case MONTH -> YearMonth.from(LocalDate.ofInstant(now, zone)).toString();
      case TOTAL -> "total";
    };
  }

  /** When the period {@code now} falls in ends; null for {@link #TOTAL}. */
  public @Nullable Instant end(Instant now, ZoneId zone) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    return switch (this) {
      case DAY -> today.plusDays(1).atStartOfDay(zone).toInstant();
      case MONTH -> YearMonth.from(today).plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
      case TOTAL -> null;
    };
  }
}
