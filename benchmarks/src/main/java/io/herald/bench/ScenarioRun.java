package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What one run of a scenario keeps: its markdown report (printed, and written to
 * {@code benchmarks/target/<scenario>-<timestamp>.md}) and the databases it made on the PostgreSQL at the admin
 * URL, dropped when it closes unless they are to be kept ({@code --keep-databases}).
 */
public final class ScenarioRun implements AutoCloseable {

    private final String scenario;
    private final String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private final String adminUrl;
    private final boolean keepDatabases;
    private final List<String> report = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();

    /**
     * @param setting what the report's header says of the set-up after the command and the core count
     */
    public ScenarioRun(String scenario, String adminUrl, boolean keepDatabases, String[] args, String setting) {
        this.scenario = scenario;
        this.adminUrl = adminUrl;
        this.keepDatabases = keepDatabases;
        report.add("# Herald " + scenario + " benchmark " + stamp);
        report.add("");
        report.add("Command: `benchmarks/run.sh " + String.join(" ", args) + "`; "
                           + Runtime.getRuntime().availableProcessors() + " cores" + setting + ".");
        report.add("");
    }

    /** One result: a bullet of the report, printed at once too. */
    public void line(String part, String text) {
        String entry = "- **" + part + "**: " + text;
        report.add(entry);
        System.out.println(entry);
    }

    /** A new, empty database named after the scenario; returns its JDBC URL (the admin URL's credentials). */
    public String newDatabase() throws SQLException {
        String name = "herald_bench_" + scenario.replace('-', '_') + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        databases.add(name);
        return adminUrl.replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    }

    /** Writes the report and prints it whole. */
    public void write() throws IOException {
        Path out = Path.of("benchmarks/target/" + scenario + "-" + stamp + ".md");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
        System.out.println("\nReport: " + out);
    }

    /** Drops the databases this run made (in use or not: FORCE), unless they are to be kept. */
    @Override
    public void close() {
        if (keepDatabases) {
            databases.forEach(name -> System.out.println("Kept database " + name));
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
            for (String name : databases) {
                s.execute("drop database if exists " + name + " with (force)");
            }
        } catch (SQLException e) {
            System.out.println("Could not drop the benchmark's databases " + databases + ": " + e.getMessage());
        }
    }
}
