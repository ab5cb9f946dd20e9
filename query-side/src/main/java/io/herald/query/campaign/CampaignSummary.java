package io.herald.query.campaign;

import io.herald.api.campaign.CampaignContent;
import io.herald.api.campaign.CampaignDefinition;
import io.herald.api.campaign.CampaignStatus;
import io.herald.api.campaign.CampaignView;
import io.herald.api.campaign.Channel;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.time.ZoneId;

/** Read model row of one campaign, shaped for the campaign list and detail queries. */
@Entity
@Table(name = "campaign_summary")
class CampaignSummary {

    @Id
    private String id;
    private String name;
    @Enumerated(EnumType.STRING)
    private Channel channel;
    @JdbcTypeCode(SqlTypes.JSON)
    private CampaignContent content;
    private String segmentId;
    private Integer throttlePerSecond;
    @Enumerated(EnumType.STRING)
    private CampaignStatus status;
    private Instant sendAt;
    private String timeZone;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant launchedAt;
    private Instant finishedAt;
    @Column(name = "version")
    private long version;

    protected CampaignSummary() {
        // for JPA
    }

    CampaignSummary(String id, CampaignDefinition definition, Instant createdAt, long version) {
        this.id = id;
        this.status = CampaignStatus.DRAFT;
        this.createdAt = createdAt;
        define(definition);
        touch(createdAt, version);
    }

    void define(CampaignDefinition definition) {
        this.name = definition.name();
        this.channel = definition.channel();
        this.content = definition.content();
        this.segmentId = definition.segmentId();
        this.throttlePerSecond = definition.throttlePerSecond();
    }

    void schedule(Instant sendAt, ZoneId zone) {
        this.status = CampaignStatus.SCHEDULED;
        this.sendAt = sendAt;
        this.timeZone = zone.getId();
    }

    void launched(Instant at) {
        this.status = CampaignStatus.RUNNING;
        this.launchedAt = at;
    }

    void status(CampaignStatus status) {
        this.status = status;
    }

    void finished(CampaignStatus status, Instant at) {
        this.status = status;
        this.finishedAt = at;
    }

    void touch(Instant at, long version) {
        this.updatedAt = at;
        this.version = version;
    }

    /** Whether the event with this sequence number is already reflected (replays and redeliveries). */
    boolean hasSeen(long sequence) {
        return sequence <= version;
    }

    CampaignView toView() {
        return new CampaignView(id, name, channel, content, segmentId, throttlePerSecond, status, sendAt,
                                timeZone == null ? null : ZoneId.of(timeZone), createdAt, updatedAt, launchedAt,
                                finishedAt, version);
    }
}
