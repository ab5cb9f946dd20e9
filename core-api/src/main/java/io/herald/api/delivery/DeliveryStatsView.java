package io.herald.api.delivery;

import java.time.LocalDate;
import java.util.List;

/**
 * Sends per day, oldest first, the last entry today (UTC).
 *
 * @param failureRateToday failed / (sent + failed) today, null when nothing finished today
 */
public record DeliveryStatsView(List<Day> days, long sentToday, long failedToday, Double failureRateToday) {

    /** @param failed FAILED and UNKNOWN */
    public record Day(LocalDate date, long sent, long failed) {
    }
}
