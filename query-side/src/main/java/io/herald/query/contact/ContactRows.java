package io.herald.query.contact;

import io.herald.eventstore.database.Json;
import com.fasterxml.jackson.core.type.TypeReference;
import io.herald.api.campaign.Channel;
import io.herald.api.contact.Consent;
import io.herald.api.contact.ContactView;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads rows of the {@code contact} read model into views. */
public final class ContactRows {

    /** The columns a {@link #MAPPER} reads, for {@code select ... from contact c}. */
    public static final String COLUMNS = "c.id, c.external_id, c.email, c.phone, c.time_zone, c.locale, "
            + "c.attributes::text as attributes, c.consent::text as consent, c.created_at, c.updated_at, c.version";
    private static final TypeReference<Map<Channel, Consent>> CONSENT = new TypeReference<>() {
    };
    private static final Pattern UUID_TEXT = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    public static final RowMapper<ContactView> MAPPER = ContactRows::view;

    private ContactRows() {
    }

    public static boolean isUuid(String text) {
        return text != null && UUID_TEXT.matcher(text).matches();
    }

    static ContactView view(ResultSet rs, int row) throws SQLException {
        Map<Channel, Consent> consent = new TreeMap<>(Json.read(rs.getString("consent"), CONSENT));
        return new ContactView(rs.getString("id"), rs.getString("external_id"), rs.getString("email"),
                               rs.getString("phone"), rs.getString("time_zone"), rs.getString("locale"),
                               Json.map(rs.getString("attributes")), consent, instant(rs.getTimestamp("created_at")),
                               instant(rs.getTimestamp("updated_at")), rs.getLong("version"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
