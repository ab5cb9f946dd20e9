package io.herald.eventstore;

import java.time.Duration;

/**
 * The start-up checks the modules' settings records share: an unset value takes its default, a value
 * that cannot work is refused naming its property.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** {@code value}, or {@code otherwise} when unset; refused when zero or negative. */
    public static Duration positive(Duration value, Duration otherwise, String property) {
        if (value == null) {
            return otherwise;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be longer than 0 (it is " + value + ")");
        }
        return value;
    }

    /** {@code value}, or {@code otherwise} when unset; refused when below 1. */
    public static int atLeastOne(Integer value, int otherwise, String property) {
        if (value == null) {
            return otherwise;
        }
        if (value < 1) {
            throw new IllegalArgumentException(property + " must be at least 1 (it is " + value + ")");
        }
        return value;
    }
}
