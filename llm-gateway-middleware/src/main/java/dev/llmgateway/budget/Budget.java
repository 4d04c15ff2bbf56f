package dev.llmgateway.budget;

import dev.llmgateway.RequestMetadata;
import dev.llmgateway.gateway.internal.Check;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A limit on spending: whose ({@link BudgetScope}, optionally one subject), over which
 * {@link BudgetPeriod}, in money or tokens, hard (calls that would exceed it are refused) or soft (alerts
 * only), and at which percentages to alert.
 *
 * <pre>{@code
 * Budget acme = Budget.builder("acme-monthly").tenant("acme").monthly().money("500", "USD").build();
 * Budget perUser = Budget.builder("user-daily-tokens").perUser().daily().tokens(2_000_000)
 *     .alertAt(80, 100).build();
 * Budget teams = Budget.builder("team-spend").perTag("team").monthly().money("1000", "USD").soft().build();
 * }</pre>
 *
 * <p><b>Units in the store.</b> A {@link BudgetStore} counts whole numbers: tokens as tokens, money in
 * units of 10<sup>-{@code moneyScale}</sup> of the currency (by default micro-units: 1 USD =
 * 1,000,000). Amounts are rounded up to a whole unit, so a budget counts at most one unit per call more
 * than was spent, never less. Limits are checked to stay below 2<sup>53</sup> units, the integers a Redis
 * Lua script (whose numbers are doubles) holds exactly.
 *
 * @param id names the budget in errors, alerts and store keys; letters, digits, {@code .-_} only
 * @param scope whose spending is limited
 * @param tagKey the tag whose values are the subjects when {@code scope} is {@link BudgetScope#TAG}
 * @param subject the one tenant, user, application or tag value limited; null to limit each one
 *     separately (or, for {@link BudgetScope#GLOBAL}, everyone together)
 * @param period when spending starts again from zero
 * @param unit money or tokens
 * @param limit the most that may be spent per subject and period, above 0
 * @param currency the ISO 4217 currency of a money budget; null for tokens
 * @param hard whether calls are refused before they would exceed the limit; false for alerts only
 * @param alertPercents thresholds, in percent of the limit, at which alerts fire once per period;
 *     ascending and distinct, each from 1 to 10,000
 * @param zone the time zone whose calendar days and months the periods follow
 * @param moneyScale the decimal places of the store's money unit, 0 to 12
 */
public record Budget(String id, BudgetScope scope, @Nullable String tagKey, @Nullable String subject,
    BudgetPeriod period, BudgetUnit unit, BigDecimal limit, @Nullable String currency, boolean hard,
    List<Integer> alertPercents, ZoneId zone, int moneyScale) {

  /** The scope of a budget by default: {@link BudgetScope#GLOBAL}. */
  public static final BudgetScope DEFAULT_SCOPE = BudgetScope.GLOBAL;
  /** The period of a budget by default: {@link BudgetPeriod#MONTH}. */
  public static final BudgetPeriod DEFAULT_PERIOD = BudgetPeriod.MONTH;
  /** Whether a budget is hard by default: {@value}. */
  public static final boolean DEFAULT_HARD = true;
  /** Where alerts fire by default: at 50, 80 and 100 percent. */
  public static final List<Integer> DEFAULT_ALERT_PERCENTS = List.of(50, 80, 100);
  /** The time zone of periods by default: UTC. */
  public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;
  /** The decimal places of the store's money unit by default: {@value} (micro-units). */
  public static final int DEFAULT_MONEY_SCALE = 6;
  /** The largest amount, in store units, that Lua scripts hold exactly: 2^53 - 1. */
  public static final long MAX_STORE_UNITS = (1L << 53) - 1;

  public Budget {
    Check.nonBlank(id, "budget.id");
    Check.that(id.matches("[A-Za-z0-9._-]+"),
        "budget.id must be letters, digits, '.', '-' or '_', was '" + id + "'");
    Check.nonNull(scope, "budget '" + id + "' scope");
    Check.that((scope == BudgetScope.TAG) == (tagKey != null && !tagKey.isBlank()),
        "budget '" + id + "' needs a tag key exactly when its scope is TAG");
    Check.that(subject == null || !subject.isEmpty(), "budget '" + id + "' subject must not be empty");
    Check.that(scope != BudgetScope.GLOBAL || subject == null,
        "budget '" + id + "' is global and cannot have a subject");
    Check.nonNull(period, "budget '" + id + "' period");
    Check.nonNull(unit, "budget '" + id + "' unit");
    Check.nonNull(limit, "budget '" + id + "' limit");
    Check.that(limit.signum() > 0, "budget '" + id + "' limit must be above 0, was " + limit);
    Check.that((unit == BudgetUnit.MONEY) == (currency != null),
        "budget '" + id + "' needs a currency exactly when it counts money");
    Check.that(currency == null || currency.matches("[A-Z]{3}"),
        "budget '" + id + "' currency must be an ISO 4217 code such as USD, was '" + currency + "'");
    alertPercents = Check.copyOf(alertPercents, "budget '" + id + "' alertPercents");
    int previous = 0;
    for (int percent : alertPercents) {
      Check.that(percent > previous && percent <= 10_000, "budget '" + id
          + "' alertPercents must be ascending, distinct and from 1 to 10000, was " + alertPercents);
      previous = percent;
    }
    Check.nonNull(zone, "budget '" + id + "' zone");
    Check.that(moneyScale >= 0 && moneyScale <= 12,
        "budget '" + id + "' moneyScale must be from 0 to 12, was " + moneyScale);
    int scale = unit == BudgetUnit.MONEY ? moneyScale : 0;
    BigDecimal units = limit.movePointRight(scale);
    Check.that(units.stripTrailingZeros().scale() <= 0, "budget '" + id + "' limit " + limit
        + " has more decimal places than its store unit (moneyScale " + moneyScale + ")");
    Check.that(units.compareTo(BigDecimal.valueOf(MAX_STORE_UNITS)) <= 0, "budget '" + id + "' limit "
        + limit + " exceeds 2^53 store units; lower moneyScale");
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * The subject a call with {@code metadata} is counted under: the tenant, user, application or tag
   * value (or {@code "*"} for a global budget); null when this budget does not count the call (the
   * metadata lacks the field, or names another subject than this budget's).
   */
  public @Nullable String subjectOf(RequestMetadata metadata) {
    String value = switch (scope) {
      case GLOBAL -> "*";
      case TENANT -> metadata.tenant();
      case USER -> metadata.user();
      case APPLICATION -> metadata.application();
      case TAG -> metadata.tags().get(tagKey);
    };
    if (value == null || (subject != null && !subject.equals(value))) {
      return null;
    }
    return value;
  }

  /** The decimal places of this budget's store unit: {@code moneyScale} for money, 0 for tokens. */
  public int unitScale() {
    return unit == BudgetUnit.MONEY ? moneyScale : 0;
  }

  /** The limit in store units. */
  public long limitUnits() {
    return limit.movePointRight(unitScale()).longValueExact();
  }

  /** {@code amount} (money or tokens) in store units, rounded up. */
  public long toUnits(BigDecimal amount) {
    return amount.movePointRight(unitScale()).setScale(0, RoundingMode.CEILING).longValueExact();
  }

  /** {@code units} store units as an amount of money or tokens. */
  public BigDecimal fromUnits(long units) {
    return BigDecimal.valueOf(units).movePointLeft(unitScale()).stripTrailingZeros();
  }

  /** The store key of {@code subject}'s spending in the period named {@code periodKey}. */
  public String storeKey(String subject, String periodKey) {
    return id + "/" + subject + "/" + periodKey;
  }

  /** {@code amount} with its unit, e.g. {@code 0.42 USD} or {@code 1200 tokens}. */
  public String describe(BigDecimal amount) {
    String number = amount.stripTrailingZeros().toPlainString();
    return unit == BudgetUnit.MONEY ? number + " " + currency : number + " tokens";
  }

  /** Who this budget limits, e.g. {@code tenant acme}, {@code each user}, {@code everyone}. */
  public String describeScope(@Nullable String actualSubject) {
    String kind = scope == BudgetScope.TAG ? "tag " + tagKey : scope.name().toLowerCase(Locale.ROOT);
    if (scope == BudgetScope.GLOBAL) {
      return "everyone";
    }
    return actualSubject != null ? kind + " " + actualSubject : "each " + kind;
  }

  /** Builds a {@link Budget}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private BudgetScope scope = DEFAULT_SCOPE;
    private @Nullable String tagKey;
    private @Nullable String subject;
    private BudgetPeriod period = DEFAULT_PERIOD;
    private @Nullable BudgetUnit unit;
    private @Nullable BigDecimal limit;
    private @Nullable String currency;
    private boolean hard = DEFAULT_HARD;
    private List<Integer> alertPercents = DEFAULT_ALERT_PERCENTS;
    private ZoneId zone = DEFAULT_ZONE;
    private int moneyScale = DEFAULT_MONEY_SCALE;

    private Builder(String id) {
      this.id = id;
    }

    /** Limits every call together. The default scope ({@link #DEFAULT_SCOPE}). */
    public Builder global() {
      return scope(BudgetScope.GLOBAL, null, null);
    }

    /** Limits each tenant separately. */
    public Builder perTenant() {
      return scope(BudgetScope.TENANT, null, null);
    }

    /** Limits the tenant {@code tenant}. */
    public Builder tenant(String tenant) {
      return scope(BudgetScope.TENANT, null, Check.nonBlank(tenant, "tenant"));
    }

    /** Limits each user separately. */
    public Builder perUser() {
      return scope(BudgetScope.USER, null, null);
    }

    /** Limits the user {@code user}. */
    public Builder user(String user) {
      return scope(BudgetScope.USER, null, Check.nonBlank(user, "user"));
    }

    /** Limits each application separately. */
    public Builder perApplication() {
      return scope(BudgetScope.APPLICATION, null, null);
    }

    /** Limits the application {@code application}. */
    public Builder application(String application) {
      return scope(BudgetScope.APPLICATION, null, Check.nonBlank(application, "application"));
    }

    /** Limits each value of the tag {@code key} separately. */
    public Builder perTag(String key) {
      return scope(BudgetScope.TAG, Check.nonBlank(key, "tag key"), null);
    }

    /** Limits the calls tagged {@code key=value}. */
    public Builder tag(String key, String value) {
      return scope(BudgetScope.TAG, Check.nonBlank(key, "tag key"), Check.nonBlank(value, "tag value"));
    }

    private Builder scope(BudgetScope scope, @Nullable String tagKey, @Nullable String subject) {
      this.scope = scope;
      this.tagKey = tagKey;
      this.subject = subject;
      return this;
    }

    /** Resets every calendar day. */
    public Builder daily() {
      return period(BudgetPeriod.DAY);
    }

    /** Resets every calendar month. The default ({@link #DEFAULT_PERIOD}). */
    public Builder monthly() {
      return period(BudgetPeriod.MONTH);
    }

    /** Never resets. */
    public Builder total() {
      return period(BudgetPeriod.TOTAL);
    }

    /** The period. Defaults to {@link #DEFAULT_PERIOD}. */
    public Builder period(BudgetPeriod period) {
      this.period = Check.nonNull(period, "period");
      return this;
    }

    /** A money limit in {@code currency}. One of money or tokens is required. */
    public Builder money(BigDecimal limit, String currency) {
      this.unit = BudgetUnit.MONEY;
      this.limit = Check.nonNull(limit, "limit");
      this.currency = Check.nonBlank(currency, "currency");
      return this;
    }

    /** A money limit written as a decimal, e.g. {@code money("100.50", "USD")}. */
    public Builder money(String limit, String currency) {
      return money(new BigDecimal(Check.nonBlank(limit, "limit")), currency);
    }

    /** A token limit. One of money or tokens is required. */
    public Builder tokens(long limit) {
      this.unit = BudgetUnit.TOKENS;
      this.limit = BigDecimal.valueOf(limit);
      this.currency = null;
      return this;
    }

    /** Whether calls are refused before they would exceed the limit. Defaults to {@value #DEFAULT_HARD}. */
    public Builder hard(boolean hard) {
      this.hard = hard;
      return this;
    }

    /** Alerts only: never refuses a call. */
    public Builder soft() {
      return hard(false);
    }

    /**
     * The alert thresholds in percent of the limit, each fired once per period. Defaults to
     * {@link #DEFAULT_ALERT_PERCENTS} (50, 80, 100); none for no alerts.
     */
    public Builder alertAt(int... percents) {
      List<Integer> values = new ArrayList<>();
      for (int percent : percents) {
        values.add(percent);
      }
      this.alertPercents = values;
      return this;
    }

    /** The time zone of days and months. Defaults to {@link #DEFAULT_ZONE} (UTC). */
    public Builder zone(ZoneId zone) {
      this.zone = Check.nonNull(zone, "zone");
      return this;
    }

    /** The decimal places of the store's money unit. Defaults to {@value #DEFAULT_MONEY_SCALE}. */
    public Builder moneyScale(int scale) {
      this.moneyScale = scale;
      return this;
    }

    public Budget build() {
      Check.that(unit != null && limit != null, "budget '" + id + "' needs a limit: money(...) or tokens(...)");
      return new Budget(id, scope, tagKey, subject, period, unit, limit, currency, hard, alertPercents,
          zone, moneyScale);
    }
  }
}
