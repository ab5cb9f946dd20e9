# syntax=docker/dockerfile:1
# Herald's container image: one image for every role (HERALD_ROLE=all|api|worker|migrate).
#   docker build -t herald .
#   docker run -e HERALD_DATABASE_URL=jdbc:postgresql://db:5432/herald -e HERALD_ROLE=api -p 8080:8080 herald

# --- build: the jar with the dashboard's static export inside --------------------------------------
FROM eclipse-temurin:21-jdk-noble AS build
# Node 20 for the dashboard (dashboard/build.sh, run by the Maven build)
COPY --from=node:20-bookworm-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-bookworm-slim /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
WORKDIR /src
# dependencies first (a layer that changes only with the poms)
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY core-api/pom.xml core-api/
COPY eventstore/pom.xml eventstore/
COPY templates/pom.xml templates/
COPY buckets/pom.xml buckets/
COPY command-side/pom.xml command-side/
COPY query-side/pom.xml query-side/
COPY sagas/pom.xml sagas/
COPY identity/pom.xml identity/
COPY dashboard/pom.xml dashboard/
COPY api-gateway/pom.xml api-gateway/
COPY benchmarks/pom.xml benchmarks/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -ntp -q -pl api-gateway -am dependency:go-offline -Dskip.dashboard || true
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN --mount=type=cache,target=/root/.m2 --mount=type=cache,target=/root/.npm \
    ./mvnw -B -ntp -pl api-gateway -am package -DskipTests \
 && cp api-gateway/target/api-gateway-*-exec.jar /herald.jar
# Spring Boot's layered extraction: dependencies, loader, snapshot dependencies, application
RUN java -Djarmode=tools -jar /herald.jar extract --layers --launcher --destination /extracted

# --- runtime: a JRE, the extracted layers, a user without privileges ---------------------------------
FROM eclipse-temurin:21-jre-noble
RUN groupadd --system --gid 10001 herald \
 && useradd --system --uid 10001 --gid herald --home-dir /var/lib/herald --shell /usr/sbin/nologin herald \
 && mkdir -p /var/lib/herald && chown herald:herald /var/lib/herald
WORKDIR /opt/herald
# least-changing layer first, so a code change ships only the last one
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER 10001:10001
ENV HERALD_ROLE=all \
    HERALD_PORT=8080 \
    HERALD_DATA_DIR=/var/lib/herald \
    HERALD_LOG_FORMAT=json \
    AXONIQ_UPDATE_CHECK_DISABLED=true \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC -Djava.security.egd=file:/dev/urandom -Daxoniq.update-checker.disabled=true -Daxoniq.update-check.disabled=true -Ddisable-axoniq-console-message=true"
# 8080: the API, the dashboard and /actuator/health; 8081: the actuator with /actuator/prometheus (HERALD_MANAGEMENT_PORT,
# by default HERALD_PORT + 1), for the metrics scraper only
EXPOSE 8080 8081
VOLUME ["/var/lib/herald"]
# /actuator/health answers in every serving role (api, worker, all): 200 when UP, 503 otherwise (the status
# line decides, not the body, whose components say UP too); bash's /dev/tcp needs no curl in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=4 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HERALD_PORT:-8080} && printf 'GET /actuator/health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS org.springframework.boot.loader.launch.JarLauncher \"$@\"", "herald"]
