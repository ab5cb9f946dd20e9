package io.herald.command.contact;

import org.axonframework.modelling.command.Repository;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which contact an anonymous id (a visitor before they signed in) belongs to: the set-based
 * lookup behind {@link io.herald.api.contact.ContactAnonymousIdLinkedEvent} (table
 * {@code contact_anonymous_id}, one row per anonymous id). The first link of an anonymous id wins,
 * also between concurrent requests: the claim is made in the transaction that records the
 * contact's event, and a second claim of the same id waits for the first and then finds it taken.
 */
@Component
public class AnonymousIds {

    private final JdbcTemplate jdbc;

    public AnonymousIds(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Contact ids by anonymous id, for those of the given ids that are linked. */
    public Map<String, String> contactsOf(Collection<String> anonymousIds) {
        return KeyLookup.find(jdbc, "select anonymous_id, contact_id from contact_anonymous_id where anonymous_id = any(?)",
                              "varchar", anonymousIds);
    }

    /**
     * Links each anonymous id to its contact unless it is linked already (to this or another
     * contact), recording a {@code ContactAnonymousIdLinkedEvent} on the contacts that got a new
     * link. Returns the contact every given anonymous id belongs to afterwards.
     */
    Map<String, String> link(Map<String, String> contactByAnonymousId, String source, Repository<Contact> contacts)
            throws Exception {
        Map<String, String> result = new HashMap<>();
        if (contactByAnonymousId.isEmpty()) {
            return result;
        }
        // one order for every writer: concurrent requests wait for each other instead of deadlocking
        Map<String, String> wanted = new TreeMap<>(contactByAnonymousId);
        List<String> linked = new ArrayList<>();
        jdbc.execute((java.sql.Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "insert into contact_anonymous_id (anonymous_id, contact_id) "
                            + "select a, c from unnest(?::varchar[], ?::uuid[]) with ordinality as t(a, c, n) "
                            + "order by n on conflict do nothing returning anonymous_id")) {
                statement.setArray(1, connection.createArrayOf("varchar", wanted.keySet().toArray()));
                statement.setArray(2, connection.createArrayOf("uuid", wanted.values().toArray()));
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        linked.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        for (String anonymousId : linked) {
            String contactId = wanted.get(anonymousId);
            contacts.load(contactId).execute(contact -> contact.linkAnonymousId(anonymousId, source));
            result.put(anonymousId, contactId);
        }
        List<String> taken = new ArrayList<>(wanted.keySet());
        taken.removeAll(linked);
        result.putAll(contactsOf(taken));
        return result;
    }
}
