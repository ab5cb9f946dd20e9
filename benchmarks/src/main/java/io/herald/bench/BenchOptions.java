package io.herald.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Command-line options of the harness. Every option has a default, so the one command
 * {@code benchmarks/run.sh} runs the full default benchmark.
 */
record BenchOptions(String scenario,
                    int runs,
                    Duration duration,
                    Duration warmup,
                    List<Integer> clients,
                    List<String> engines,
                    List<String> parts,
                    String database,
                    String pgUrl,
                    String pgUser,
                    String pgPassword,
                    int batchSize,
                    String httpClient,
                    Integer poolSize,
                    boolean keepDatabases,
                    List<String> appProperties,
                    Path outputDirectory) {

    static final String USAGE = """
            Usage: benchmarks/run.sh [options]
              --scenario NAME        create-campaign (the only scenario so far)      [create-campaign]
              --runs N               measured runs per case; the table shows the median [3]
              --duration D           length of one measured run (10s, 2s, 500ms)      [10s]
              --warmup D             unmeasured warm-up before each case's runs       [3s]
              --clients LIST         concurrent clients/threads                       [1,32]
              --engines LIST         Axon storage engines to boot: jdbc,jpa            [jdbc,jpa]
              --parts LIST           what to run: baseline (plain INSERTs), idle (5 s without
                                     requests), gateway, http (create commands), http-get,
                                     http-echo (yardsticks, first engine only)
                                     [baseline,idle,gateway,http,http-get,http-echo]
              --db local|embedded    local: the PostgreSQL at --pg-url; embedded: a zonky
                                     PostgreSQL (fsync on) started in a temp dir        [local]
              --pg-url URL           admin JDBC URL of the local server   [jdbc:postgresql://127.0.0.1:5432/postgres]
              --pg-user USER         [postgres]
              --pg-password PW       [empty]
              --batch-size N         rows per batch in the baseline's batched INSERTs [100]
              --http-client socket|jdk  load generator: raw keep-alive sockets, or
                                     java.net.http.HttpClient (HTTP/1.1)               [socket]
              --pool-size N          Hikari pool size of the application            [application default]
              --keep-databases       do not drop the bench_* databases afterwards
              --set KEY=VALUE        an application property for every Herald boot, e.g.
                                     --set axon.timeout.enabled=false (repeatable)
              --out DIR              where results-<timestamp>.md goes              [benchmarks/target]
            """;

    static BenchOptions parse(String[] args) {
        String scenario = "create-campaign";
        int runs = 3;
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(3);
        List<Integer> clients = List.of(1, 32);
        List<String> engines = List.of("jdbc", "jpa");
        List<String> parts = List.of("baseline", "idle", "gateway", "http", "http-get", "http-echo");
        String database = "local";
        String pgUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
        String pgUser = "postgres";
        String pgPassword = "";
        int batchSize = 100;
        String httpClient = "socket";
        Integer poolSize = null;
        boolean keep = false;
        List<String> appProperties = new ArrayList<>();
        Path out = Path.of("benchmarks", "target");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            switch (arg) {
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                case "--keep-databases" -> keep = true;
                default -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("Missing value for " + arg + "\n" + USAGE);
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--scenario" -> scenario = value;
                        case "--runs" -> runs = Integer.parseInt(value);
                        case "--duration" -> duration = duration(value);
                        case "--warmup" -> warmup = duration(value);
                        case "--clients" -> clients = Arrays.stream(value.split(",")).map(String::trim)
                                .map(Integer::parseInt).toList();
                        case "--engines" -> engines = list(value);
                        case "--parts" -> parts = list(value);
                        case "--db" -> database = value;
                        case "--pg-url" -> pgUrl = value;
                        case "--pg-user" -> pgUser = value;
                        case "--pg-password" -> pgPassword = value;
                        case "--batch-size" -> batchSize = Integer.parseInt(value);
                        case "--http-client" -> httpClient = value;
                        case "--pool-size" -> poolSize = Integer.parseInt(value);
                        case "--out" -> out = Path.of(value);
                        case "--set" -> {
                            if (!value.contains("=")) {
                                throw new IllegalArgumentException("--set takes KEY=VALUE");
                            }
                            appProperties.add(value);
                        }
                        default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
                    }
                }
            }
        }
        if (!scenario.equals("create-campaign")) {
            throw new IllegalArgumentException("Unknown scenario " + scenario + " (known: create-campaign)");
        }
        if (!database.equals("local") && !database.equals("embedded")) {
            throw new IllegalArgumentException("--db is local or embedded");
        }
        if (!httpClient.equals("socket") && !httpClient.equals("jdk")) {
            throw new IllegalArgumentException("--http-client is socket or jdk");
        }
        for (String engine : engines) {
            if (!engine.equals("jdbc") && !engine.equals("jpa")) {
                throw new IllegalArgumentException("Unknown engine " + engine + " (known: jdbc, jpa)");
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        return new BenchOptions(scenario, runs, duration, warmup, clients, engines, parts, database, pgUrl, pgUser,
                                pgPassword, batchSize, httpClient, poolSize, keep, List.copyOf(appProperties), out);
    }

    boolean part(String name) {
        return parts.contains(name);
    }

    int maxClients() {
        return clients.stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    private static List<String> list(String value) {
        List<String> result = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                result.add(s.trim().toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(result);
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }
}
