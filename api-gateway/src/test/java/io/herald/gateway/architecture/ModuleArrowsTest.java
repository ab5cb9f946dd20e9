package io.herald.gateway.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the module arrows of the README's module table true: domain modules reach each other only
 * through core-api messages; identity is a platform module that only the gateway uses; the eventstore
 * is a platform module under all of them that knows none of them, and so are the token buckets; nothing but
 * the benchmarks uses the gateway. (The benchmarks are not on this module's classpath; the rules about them hold by the poms.)
 */
class ModuleArrowsTest {

    private static JavaClasses herald;

    @BeforeAll
    static void importClasses() {
        herald = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.herald");
    }

    @Test
    void coreApi_dependsOnlyOnJavaAxonMessagingValidationAndJsonAnnotations() {
        classes().that().resideInAPackage("io.herald.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.herald.api..", "java..", "org.axonframework.modelling.command..",
                        "org.axonframework.serialization..", "jakarta.validation..",
                        "com.fasterxml.jackson.annotation..")
                .because("core-api holds only messages: no Spring, no JPA (Jackson's annotations shape the rule tree's JSON)")
                .check(herald);
    }

    @Test
    void gateway_talksToTheDomainOnlyThroughCoreApiMessages() {
        noClasses().that().resideInAPackage("io.herald.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.herald.command..", "io.herald.query..", "io.herald.saga..")
                .check(herald);
    }

    @Test
    void commandSideAndQuerySide_doNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.herald.command..")
                .should().dependOnClassesThat().resideInAnyPackage("io.herald.query..", "io.herald.gateway..",
                                                                   "io.herald.saga..")
                .check(herald);
        noClasses().that().resideInAPackage("io.herald.query..")
                .should().dependOnClassesThat().resideInAnyPackage("io.herald.command..", "io.herald.gateway..",
                                                                   "io.herald.saga..")
                .check(herald);
    }

    @Test
    void sagas_talkToAggregatesOnlyThroughCommands() {
        noClasses().that().resideInAPackage("io.herald.saga..")
                .should().dependOnClassesThat().resideInAnyPackage("io.herald.command..", "io.herald.query..",
                                                                   "io.herald.gateway..")
                .check(herald);
    }

    @Test
    void aggregatesAndProjections_doNoWebOrHttp() {
        noClasses().that().resideInAnyPackage("io.herald.command..", "io.herald.query..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
                .check(herald);
    }

    @Test
    void identity_dependsOnNothingOfHeraldButCoreApi() {
        classes().that().resideInAPackage("io.herald.identity..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("io.herald.identity..", "io.herald.api..")
                                                          .or(resideOutsideOfPackage("io.herald..")))
                .check(herald);
    }

    @Test
    void identity_isUsedOnlyByTheGateway() {
        noClasses().that().resideInAPackage("io.herald..")
                .and().resideOutsideOfPackages("io.herald.identity..", "io.herald.gateway..")
                .should().dependOnClassesThat().resideInAPackage("io.herald.identity..")
                .check(herald);
    }

    @Test
    void identity_hasNoWebLayer() {
        noClasses().that().resideInAPackage("io.herald.identity..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..",
                        "org.springframework.security.web..", "org.springframework.security.oauth2.server..")
                .because("controllers, filters and the HTTP status of its errors belong to the gateway")
                .check(herald);
    }

    @Test
    void eventstore_dependsOnNothingOfHeraldButCoreApi() {
        classes().that().resideInAPackage("io.herald.eventstore..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("io.herald.eventstore..", "io.herald.api..")
                                                          .or(resideOutsideOfPackage("io.herald..")))
                .because("the event store and database are the platform under the domain modules")
                .check(herald);
    }

    @Test
    void eventstore_hasNoWebLayer() {
        noClasses().that().resideInAPackage("io.herald.eventstore..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.web..", "org.springframework.http..", "jakarta.servlet..")
                .check(herald);
    }

    @Test
    void buckets_dependOnNothingOfHerald() {
        classes().that().resideInAPackage("io.herald.buckets..")
                .should().onlyDependOnClassesThat(resideInAnyPackage("io.herald.buckets..")
                                                          .or(resideOutsideOfPackage("io.herald..")))
                .because("the token buckets are platform under the gateway's rate limits and the send throttle")
                .check(herald);
    }

    @Test
    void nothingButTheBenchmarks_dependsOnTheGateway() {
        noClasses().that().resideInAPackage("io.herald..")
                .and().resideOutsideOfPackages("io.herald.gateway..", "io.herald.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.herald.gateway..")
                .check(herald);
    }
}
