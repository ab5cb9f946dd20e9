package io.herald.api.delivery;

/** Final outcomes of a campaign's recipients (a campaign is complete when they add up to its audience). */
public record DeliveryTotals(long audience, long sent, long failed, long skipped, long unknown) {

    public long finished() {
        return sent + failed + skipped + unknown;
    }

    public DeliveryTotals plus(long sent, long failed, long skipped, long unknown) {
        return new DeliveryTotals(audience, this.sent + sent, this.failed + failed, this.skipped + skipped,
                                  this.unknown + unknown);
    }
}
