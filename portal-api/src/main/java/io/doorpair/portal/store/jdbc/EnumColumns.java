package io.doorpair.portal.store.jdbc;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

/** Enums stored as their names in lower case, and read back only when they match exactly. */
final class EnumColumns {
  private EnumColumns() {}

  /** The column text of {@code value}: its name in lower case. */
  static String text(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /**
   * The constant of {@code type} whose column text is {@code text}.
   *
   * @throws SQLException naming {@code what} when no constant matches
   */
  static <E extends Enum<E>> E value(Class<E> type, String text, String what) throws SQLException {
    Objects.requireNonNull(text, what);
    for (E constant : type.getEnumConstants()) {
      if (text(constant).equals(text)) {
        return constant;
      }
    }
    throw new SQLException("unknown " + what + " in the database: " + text);
  }
}
