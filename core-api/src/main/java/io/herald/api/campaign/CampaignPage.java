package io.herald.api.campaign;

import java.util.List;

public record CampaignPage(List<CampaignView> items, int page, int size, long totalItems, int totalPages) {
}
