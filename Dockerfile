# docker build -t lethe:0.1.0 .   (builds the jar inside; nothing needs to be built before)
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# Dependencies in a layer of their own, so a source change does not download them again.
RUN ./mvnw -B -q dependency:resolve
COPY src src
# The jar only: the tests are neither compiled nor run here (./mvnw verify runs them before an image
# is built), nor is the client generated from api/openapi.json that only they use.
RUN ./mvnw -B -q package -Dmaven.test.skip=true -Dcodegen.skip=true -Dspotless.check.skip=true

FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY --from=build /src/target/lethe.jar lethe.jar
RUN java -Djarmode=tools -jar lethe.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
# keyutils: in agent mode, passphrases reach the kernel as keyring keys (keyctl)
RUN apt-get update && apt-get install -y --no-install-recommends keyutils && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 lethe && useradd --system --uid 10001 --gid lethe --home /app lethe \
    && mkdir -p /app /data /evidence && chown lethe:lethe /data /evidence
WORKDIR /app
# One layer per rate of change: dependencies seldom, the application on every build.
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
USER 10001:10001
ENV LETHE_DATA_DIR=/data JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70"
EXPOSE 8080
# /evidence: the audit checkpoint file, on storage of its own (docker-compose.yml)
VOLUME ["/data", "/evidence"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-Dlethe.data-dir=/data", "org.springframework.boot.loader.launch.JarLauncher"]
