package io.doorpair.portal.http;

import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/** Query parameters read strictly: decimal digits only, in range, given at most once. */
final class Queries {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");

  private Queries() {}

  /** The parameter's single value, if given; {@code 400 code} if given twice. */
  static Optional<String> single(Context ctx, String name, String code) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw ApiException.badRequest(code, name + " is given more than once");
    }
    return values.stream().findFirst();
  }

  /** An integer parameter within {@code [min, max]}, if given; else {@code 400 code}. */
  static OptionalInt optionalInt(Context ctx, String name, int min, int max, String code) {
    Optional<String> text = single(ctx, name, code);
    if (text.isEmpty()) {
      return OptionalInt.empty();
    }
    long value = parse(text.get(), name, min, max, code);
    return OptionalInt.of((int) value);
  }

  /** A long parameter within {@code [min, max]}, or {@code fallback} when absent. */
  static long longOr(Context ctx, String name, long min, long max, long fallback, String code) {
    Optional<String> text = single(ctx, name, code);
    return text.isEmpty() ? fallback : parse(text.get(), name, min, max, code);
  }

  /** The {@code wait} of a long-poll: 1-60 seconds, if given. */
  static OptionalInt waitSeconds(Context ctx) {
    return optionalInt(ctx, "wait", 1, 60, "bad_wait");
  }

  /** The {@code limit} of a page: 1-500, 100 when absent. */
  static int limit(Context ctx) {
    return optionalInt(ctx, "limit", 1, 500, "bad_limit").orElse(100);
  }

  private static long parse(String text, String name, long min, long max, String code) {
    if (DIGITS.matcher(text).matches()) {
      try {
        long value = Long.parseLong(text);
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // Out of long's range: refused below.
      }
    }
    throw ApiException.badRequest(code, name + " must be an integer from " + min + " to " + max);
  }
}
