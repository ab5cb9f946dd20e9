package io.herald.gateway.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the module arrows of docs/conventions true: cross-module calls go through messages. */
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
                .allowEmptyShould(true) // no saga exists until the delivery issue lands
                .check(herald);
    }

    @Test
    void aggregatesAndProjections_doNoWebOrHttp() {
        noClasses().that().resideInAnyPackage("io.herald.command..", "io.herald.query..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "jakarta.servlet..")
                .check(herald);
    }
}
