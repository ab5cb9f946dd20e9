package io.herald.query.campaign;

import io.herald.api.campaign.CampaignStatus;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Collection;

interface CampaignSummaryRepository extends JpaRepository<CampaignSummary, String> {

    Page<CampaignSummary> findByStatusIn(Collection<CampaignStatus> statuses, Pageable pageable);
}
