package io.herald.command.policy;

import io.herald.api.campaign.Channel;
import io.herald.api.common.DomainException;
import io.herald.api.policy.MessagingPolicy;
import io.herald.api.policy.MessagingPolicySetEvent;
import io.herald.api.policy.SetMessagingPolicyCommand;
import io.herald.command.ExpectedVersion;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.modelling.command.CommandHandlerInterceptor;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The messaging policy (one, id {@link MessagingPolicy#ID}): its history is the audit of who changed the caps and
 * quiet hours, when. Setting it checks it whole (400 {@code policy.invalid} naming the field).
 */
@Aggregate
final class MessagingPolicyAggregate {

    static final String INVALID = "policy.invalid";
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final int MAX_LIMIT = 1000;
    private static final int MAX_DAYS = 90;

    @AggregateIdentifier
    private String policyId;
    private MessagingPolicy policy;
    private long version;

    MessagingPolicyAggregate() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    long handle(SetMessagingPolicyCommand command, Clock clock) {
        if (!MessagingPolicy.ID.equals(command.policyId())) {
            throw new DomainException(DomainException.Kind.NOT_FOUND, "policy.not-found",
                                      "The messaging policy's id is " + MessagingPolicy.ID);
        }
        if (policyId == null && AggregateLifecycle.getVersion() != null) {
            throw new DomainException(DomainException.Kind.CONFLICT, "policy.id-taken",
                                      "The id " + MessagingPolicy.ID + " names something else");
        }
        check(command.policy());
        if (policyId != null && Objects.equals(policy, command.policy())) {
            return version; // unchanged: nothing to record
        }
        apply(new MessagingPolicySetEvent(MessagingPolicy.ID, command.policy(), clock.instant()));
        return version;
    }

    @CommandHandlerInterceptor
    Object expectedVersion(CommandMessage<?> command, InterceptorChain chain) throws Exception {
        if (policyId != null) {
            ExpectedVersion.check(command, policyId, version);
        }
        return chain.proceed();
    }

    static void check(MessagingPolicy policy) {
        if (policy == null) {
            throw DomainException.invalid("policy", INVALID, "policy: required");
        }
        Set<Channel> capped = EnumSet.noneOf(Channel.class);
        if (policy.frequencyCaps() != null) {
            for (int i = 0; i < policy.frequencyCaps().size(); i++) {
                MessagingPolicy.FrequencyCap cap = policy.frequencyCaps().get(i);
                String at = "frequencyCaps[" + i + "]";
                if (cap == null || cap.channel() == null) {
                    throw DomainException.invalid(at + ".channel", INVALID, at + ".channel: EMAIL, SMS or WEBHOOK");
                }
                if (!capped.add(cap.channel())) {
                    throw DomainException.invalid(at + ".channel", INVALID, at + ".channel: one cap per channel ("
                            + cap.channel() + " twice)");
                }
                if (cap.limit() == null || cap.limit() < 1 || cap.limit() > MAX_LIMIT) {
                    throw DomainException.invalid(at + ".limit", INVALID, at + ".limit: 1 to " + MAX_LIMIT);
                }
                if (cap.days() == null || cap.days() < 1 || cap.days() > MAX_DAYS) {
                    throw DomainException.invalid(at + ".days", INVALID, at + ".days: 1 to " + MAX_DAYS);
                }
            }
        }
        MessagingPolicy.QuietHours quiet = policy.quietHours();
        if (quiet != null) {
            for (String field : new String[] {"start", "end"}) {
                String value = "start".equals(field) ? quiet.start() : quiet.end();
                if (value == null || !TIME.matcher(value).matches()) {
                    throw DomainException.invalid("quietHours." + field, INVALID,
                                                  "quietHours." + field + ": HH:mm, e.g. 21:00");
                }
            }
            if (LocalTime.parse(quiet.start()).equals(LocalTime.parse(quiet.end()))) {
                throw DomainException.invalid("quietHours.end", INVALID, "quietHours.end: differs from start");
            }
            if (quiet.channels() != null && quiet.channels().stream().anyMatch(Objects::isNull)) {
                throw DomainException.invalid("quietHours.channels", INVALID,
                                              "quietHours.channels: EMAIL, SMS or WEBHOOK");
            }
            if (quiet.timeZone() != null) {
                try {
                    ZoneId.of(quiet.timeZone());
                } catch (DateTimeException e) {
                    throw DomainException.invalid("quietHours.timeZone", INVALID,
                                                  "quietHours.timeZone: an IANA zone such as Europe/Paris");
                }
            }
        }
    }

    @EventSourcingHandler
    void on(MessagingPolicySetEvent event, @SequenceNumber long sequence) {
        policyId = event.policyId();
        policy = event.policy();
        version = sequence;
    }
}
