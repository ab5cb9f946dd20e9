package io.herald.identity.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.herald.identity.IdentityProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Herald's RSA signing key. A key from {@code herald.security.jwt.private-key} wins; otherwise the
 * first start generates one and keeps it in the database, so tokens survive restarts and every
 * instance on the database signs and verifies with the same key.
 */
@Component
public class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private final RSAKey signingKey;

    public SigningKeys(IdentityProperties properties, JdbcTemplate jdbc, TransactionTemplate transactions) {
        String configured = properties.jwt().privateKey();
        this.signingKey = IdentityProperties.blank(configured)
                ? fromDatabase(jdbc, transactions)
                : fromPem(readPem(configured), "configured");
    }

    /** The private key Herald signs with. */
    public RSAKey signingKey() {
        return signingKey;
    }

    /** The public keys, as served at {@code /.well-known/jwks.json}. */
    public JWKSet publicKeys() {
        return new JWKSet(signingKey.toPublicJWK());
    }

    private static RSAKey fromDatabase(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return transactions.execute(status -> {
            // one instance generates; the others wait on the lock and read what it stored
            jdbc.execute("select pg_advisory_xact_lock(hashtext('herald-jwt-signing-key'))");
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "select kid, private_key from jwt_signing_key order by created_at limit 1");
            if (!rows.isEmpty()) {
                return fromPem((String) rows.get(0).get("private_key"), (String) rows.get(0).get("kid"));
            }
            KeyPair pair = generate();
            String kid = "herald-" + Instant.now().getEpochSecond();
            jdbc.update("insert into jwt_signing_key (kid, private_key, public_key, created_at) values (?, ?, ?, now())",
                        kid, pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
                        pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            log.info("Generated Herald's JWT signing key {} and stored it in the database", kid);
            return new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                    .privateKey(pair.getPrivate()).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
        });
    }

    private static String readPem(String configured) {
        if (configured.startsWith("file:")) {
            try {
                return Files.readString(Path.of(configured.substring("file:".length())));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read herald.security.jwt.private-key " + configured, e);
            }
        }
        return configured;
    }

    /** The RSA key of a PKCS#8 PEM private key, with its public half. */
    public static RSAKey fromPem(String pem, String kid) {
        try {
            String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(kid).keyUse(KeyUse.SIGNATURE).build();
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("herald.security.jwt.private-key is not an RSA private key in PKCS#8 PEM", e);
        }
    }

    static RSAPublicKey publicKeyFromPem(String pem) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    /** A new 2048-bit RSA key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
