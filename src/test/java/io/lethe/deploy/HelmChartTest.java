package io.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The Helm chart through the real Helm engine (helm-java): lint, and what it renders. */
class HelmChartTest {

    static final Path CHART = Path.of("helm", "lethe");

    @Test
    void theChartPassesHelmLintStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderOneReplicaWithProbesRunningAsNonRoot() throws Exception {
        List<Map<String, Object>> docs = render(t -> t);
        Map<String, Object> deployment = find(docs, "Deployment");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(1);
        Map<String, Object> pod = map(at(deployment, "spec", "template", "spec"));
        assertThat(at(pod, "securityContext", "runAsNonRoot")).isEqualTo(true);
        Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));
        assertThat(at(container, "readinessProbe", "httpGet", "path"))
                .isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe", "httpGet", "path"))
                .isEqualTo("/actuator/health/liveness");
        assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(map(container.get("resources")).get("limits")).isNotNull();
        assertThat(find(docs, "Service")).isNotNull();
        Map<String, Object> dashboard =
                docs.stream()
                        .filter(
                                d ->
                                        "ConfigMap".equals(d.get("kind"))
                                                && at(d, "metadata", "name")
                                                        .toString()
                                                        .endsWith("-dashboard"))
                        .findFirst()
                        .orElseThrow();
        assertThat(at(dashboard, "metadata", "labels", "grafana_dashboard")).isEqualTo("1");
        assertThat(at(dashboard, "data", "lethe.json").toString())
                .isEqualTo(
                        Files.readString(CHART.resolve("dashboards/lethe.json")).stripTrailing());
        assertThat(docs)
                .noneMatch(
                        d ->
                                "DaemonSet".equals(d.get("kind"))
                                        || "ServiceMonitor".equals(d.get("kind")));
        Map<String, Object> config =
                docs.stream()
                        .filter(
                                d ->
                                        "ConfigMap".equals(d.get("kind"))
                                                && !at(d, "metadata", "name")
                                                        .toString()
                                                        .endsWith("-dashboard"))
                        .findFirst()
                        .orElseThrow();
        Map<String, Object> application =
                new Yaml().load(at(config, "data", "application.yaml").toString());
        assertThat(at(application, "lethe", "backends", "simulated", "enabled"))
                .as("no simulated hosts in production")
                .isEqualTo(false);
    }

    @Test
    void threeReplicasOnPostgresShareTheDatabaseAndTheSecretsKey() throws Exception {
        List<Map<String, Object>> docs =
                render(
                        t ->
                                t.set("replicaCount", 3)
                                        .set(
                                                "database.url",
                                                "jdbc:postgresql://postgres:5432/lethe")
                                        .set("database.existingSecret", "lethe-db")
                                        .set("secrets.existingSecret", "lethe-secrets")
                                        .set("metrics.serviceMonitor.enabled", true)
                                        .set("agent.enabled", true)
                                        .set("agent.tokenSecret", "lethe-agent")
                                        .set("agent.tlsSecret", "lethe-agent-tls")
                                        .set("agent.trustStoreSecret", "lethe-agent-ca")
                                        .set(
                                                "certificates.trustedKeysUrl",
                                                "https://pins.example/lethe.pem")
                                        .set("audit.witnessUrl", "https://witness.example/lethe"));
        Map<String, Object> deployment = find(docs, "Deployment");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(3);
        List<?> env =
                (List<?>)
                        map(((List<?>) at(deployment, "spec", "template", "spec", "containers"))
                                        .get(0))
                                .get("env");
        assertThat(env)
                .anySatisfy(
                        e -> {
                            assertThat(map(e).get("name")).isEqualTo("SPRING_DATASOURCE_URL");
                            assertThat(map(e).get("value"))
                                    .isEqualTo("jdbc:postgresql://postgres:5432/lethe");
                        });
        assertThat(env)
                .anySatisfy(
                        e -> {
                            assertThat(map(e).get("name")).isEqualTo("LETHE_SECRETS_KEY");
                            assertThat(at(map(e), "valueFrom", "secretKeyRef", "name"))
                                    .isEqualTo("lethe-secrets");
                        });
        assertThat(env)
                .as("keys pinned and checkpoints witnessed outside the database")
                .anySatisfy(
                        e -> {
                            assertThat(map(e).get("name")).isEqualTo("LETHE_TRUSTED_KEYS");
                            assertThat(map(e).get("value"))
                                    .isEqualTo("https://pins.example/lethe.pem");
                        })
                .anySatisfy(
                        e -> {
                            assertThat(map(e).get("name")).isEqualTo("LETHE_AUDIT_WITNESS_URL");
                            assertThat(map(e).get("value"))
                                    .isEqualTo("https://witness.example/lethe");
                        });
        assertThat(find(docs, "ServiceMonitor")).isNotNull();
        Map<String, Object> agent = find(docs, "DaemonSet");
        Map<String, Object> container =
                map(((List<?>) at(agent, "spec", "template", "spec", "containers")).get(0));
        assertThat(((List<?>) container.get("args")).stream().map(String::valueOf).toList())
                .contains("--lethe.mode=agent", "--lethe.agent.root=/host");
        assertThat((List<?>) container.get("env"))
                .anySatisfy(
                        e -> {
                            assertThat(map(e).get("name")).isEqualTo("LETHE_AGENT_TOKEN");
                            assertThat(at(map(e), "valueFrom", "secretKeyRef", "name"))
                                    .isEqualTo("lethe-agent");
                        });
        Map<String, Object> agentPod = map(at(agent, "spec", "template", "spec"));
        assertThat(agentPod.get("hostNetwork"))
                .as("only the agent's port is published, not the host network")
                .isNull();
        assertThat(((List<?>) container.get("ports")).toString()).contains("hostPort=7443");
        assertThat(((List<?>) container.get("args")).stream().map(String::valueOf).toList())
                .contains(
                        "--server.ssl.enabled=true", "--server.ssl.certificate=file:/tls/tls.crt");
        assertThat(((List<?>) agentPod.get("volumes")).toString())
                .contains("secretName=lethe-agent-tls");
        assertThat(agentPod.get("tolerations").toString()).contains("operator=Exists");
        assertThat(at(container, "resources", "limits", "memory")).isNotNull();
        assertThat(agentPod.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(env)
                .as("the orchestrator trusts the agents' CA")
                .anySatisfy(
                        e -> {
                            assertThat(map(e).get("name")).isEqualTo("LETHE_HOSTAGENT_TRUSTSTORE");
                            assertThat(map(e).get("value"))
                                    .isEqualTo("/agent-trust/truststore.p12");
                        });
    }

    @Test
    void agentsWithoutTlsAreRefused() {
        assertThatThrownBy(
                        () ->
                                render(
                                        t ->
                                                t.set("agent.enabled", true)
                                                        .set("agent.tokenSecret", "lethe-agent")))
                .hasMessageContaining("needs agent.tlsSecret");
    }

    /** The install command of docs/operations.md, as written: its --set flags, rendered. */
    private static List<Map<String, Object>> documentedInstall() throws Exception {
        String doc = Files.readString(Path.of("docs/operations.md"));
        String section = doc.substring(doc.indexOf("## Install on Kubernetes"));
        String command =
                section.substring(
                                section.indexOf("helm install"),
                                section.indexOf("```", section.indexOf("helm install")))
                        .replace("\\\n", " ");
        Matcher set = Pattern.compile("--set (\\S+?)=(\\S+)").matcher(command);
        List<String[]> sets = new ArrayList<>();
        while (set.find()) {
            sets.add(new String[] {set.group(1), set.group(2)});
        }
        assertThat(sets).as("the documented command's values").hasSizeGreaterThan(8);
        return render(
                t -> {
                    TemplateCommand with = t;
                    for (String[] pair : sets) {
                        with = with.set(pair[0], pair[1]);
                    }
                    return with;
                });
    }

    @Test
    @SuppressWarnings("unchecked")
    void everySelectorMatchesWhatItIsMeantTo() throws Exception {
        List<Map<String, Object>> docs = documentedInstall();
        Map<String, Object> deployment = find(docs, "Deployment");
        Map<String, Object> podLabels =
                map(at(deployment, "spec", "template", "metadata", "labels"));
        assertThat(podLabels)
                .as("Deployment -> its pods")
                .containsAllEntriesOf(map(at(deployment, "spec", "selector", "matchLabels")));
        Map<String, Object> service = find(docs, "Service");
        assertThat(podLabels)
                .as("Service -> pods")
                .containsAllEntriesOf(map(at(service, "spec", "selector")));
        assertThat(map(at(service, "metadata", "labels")))
                .as("ServiceMonitor -> Service")
                .containsAllEntriesOf(
                        map(at(find(docs, "ServiceMonitor"), "spec", "selector", "matchLabels")));
        assertThat(podLabels)
                .as("PodDisruptionBudget -> pods")
                .containsAllEntriesOf(
                        map(
                                at(
                                        find(docs, "PodDisruptionBudget"),
                                        "spec",
                                        "selector",
                                        "matchLabels")));
        assertThat(podLabels)
                .as("NetworkPolicy -> pods")
                .containsAllEntriesOf(
                        map(at(find(docs, "NetworkPolicy"), "spec", "podSelector", "matchLabels")));
        Map<String, Object> term =
                map(
                        ((List<?>)
                                        at(
                                                deployment,
                                                "spec",
                                                "template",
                                                "spec",
                                                "affinity",
                                                "podAntiAffinity",
                                                "preferredDuringSchedulingIgnoredDuringExecution"))
                                .get(0));
        assertThat(podLabels)
                .as("anti-affinity -> the replicas")
                .containsAllEntriesOf(
                        map(at(term, "podAffinityTerm", "labelSelector", "matchLabels")));
        Map<String, Object> ingress = find(docs, "Ingress");
        assertThat(at(map(((List<?>) at(ingress, "spec", "rules")).get(0)), "host"))
                .isEqualTo("lethe.example.com");
    }

    @Test
    void theDocumentedInstallRunsThreeReplicasWithoutAnApiTokenInThePods() throws Exception {
        List<Map<String, Object>> docs = documentedInstall();
        Map<String, Object> deployment = find(docs, "Deployment");
        assertThat(at(deployment, "spec", "replicas")).isEqualTo(3);
        assertThat(at(deployment, "spec", "template", "spec", "automountServiceAccountToken"))
                .isEqualTo(false);
        Map<String, Object> account = find(docs, "ServiceAccount");
        assertThat(at(account, "automountServiceAccountToken")).isEqualTo(false);
        assertThat(at(deployment, "spec", "template", "spec", "serviceAccountName"))
                .isEqualTo(at(account, "metadata", "name"));
        assertThat(at(find(docs, "PodDisruptionBudget"), "spec", "maxUnavailable")).isEqualTo(1);
        assertThat(((List<?>) at(find(docs, "NetworkPolicy"), "spec", "egress")).toString())
                .contains("10.20.0.0/16", "53");
        assertThat(at(deployment, "spec", "template", "spec", "containers").toString())
                .contains("registry.example.com/lethe:0.1.0");
    }

    @Test
    void postgresWithoutAnExternalSecretsKeyIsRefused() {
        // the key would be generated into the pod's temporary volume and lost at the next restart
        assertThatThrownBy(
                        () ->
                                render(
                                        t ->
                                                t.set(
                                                        "database.url",
                                                        "jdbc:postgresql://postgres:5432/lethe")))
                .hasMessageContaining("needs secrets.existingSecret");
    }

    @Test
    void severalReplicasWithoutPostgresAreRefused() {
        assertThatThrownBy(() -> render(t -> t.set("replicaCount", 3)))
                .hasMessageContaining("needs PostgreSQL");
    }

    private static List<Map<String, Object>> render(UnaryOperator<TemplateCommand> values) {
        String manifests = values.apply(new Helm(CHART).template().withName("lethe")).call();
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(manifests)) {
            if (doc != null) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static Object at(Map<String, Object> doc, String... path) {
        Object current = doc;
        for (String key : path) {
            current = map(current).get(key);
        }
        return current;
    }
}
