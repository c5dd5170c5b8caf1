package dev.junction.api;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.HttpResponseFor;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.ConflictException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.beta.environments.BetaEnvironmentArchivedException;
import com.anthropic.models.beta.environments.BetaEnvironmentNotFoundException;
import com.anthropic.models.beta.environments.BetaInvalidConfigTypeChangeException;
import com.anthropic.models.beta.environments.BetaInvalidMetadataException;
import com.anthropic.models.beta.environments.BetaSelfHostedConfigParams;
import com.anthropic.models.beta.sessions.SessionListPage;
import com.anthropic.models.beta.agents.AgentCreateParams;
import com.anthropic.models.beta.agents.AgentListPage;
import com.anthropic.models.beta.agents.AgentListParams;
import com.anthropic.models.beta.agents.AgentRetrieveParams;
import com.anthropic.models.beta.agents.AgentUpdateParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsAnthropicSkill;
import com.anthropic.models.beta.agents.BetaManagedAgentsAnthropicSkillParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsEffortMax;
import com.anthropic.models.beta.agents.BetaManagedAgentsMcpToolset;
import com.anthropic.models.beta.agents.BetaManagedAgentsModelConfig;
import com.anthropic.models.beta.agents.BetaManagedAgentsModelConfigParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsUrlMcpServerParams;
import com.anthropic.models.beta.sessions.BetaManagedAgentsGitHubRepositoryResourceParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSystemMessageEventParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserDefineOutcomeEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserDefineOutcomeEventParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserInterruptEventParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserToolConfirmationEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserToolConfirmationEventParams;
import com.anthropic.models.beta.sessions.resources.BetaManagedAgentsFileResource;
import com.anthropic.models.beta.sessions.resources.BetaManagedAgentsGitHubRepositoryResource;
import com.anthropic.models.beta.sessions.resources.BetaManagedAgentsSessionResource;
import com.anthropic.models.beta.agents.BetaManagedAgentsAgent;
import com.anthropic.models.beta.agents.BetaManagedAgentsAgentToolConfig;
import com.anthropic.models.beta.agents.BetaManagedAgentsAgentToolset20260401;
import com.anthropic.models.beta.agents.BetaManagedAgentsAgentToolset20260401Params;
import com.anthropic.models.beta.agents.BetaManagedAgentsAlwaysAskPolicy;
import com.anthropic.models.beta.agents.BetaManagedAgentsBashToolConfigParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsCustomTool;
import com.anthropic.models.beta.agents.BetaManagedAgentsCustomToolInputSchema;
import com.anthropic.models.beta.agents.BetaManagedAgentsCustomToolParams;
import com.anthropic.models.beta.agents.BetaManagedAgentsModel;
import com.anthropic.models.beta.environments.BetaCloudConfig;
import com.anthropic.models.beta.environments.BetaCloudConfigParams;
import com.anthropic.models.beta.environments.BetaEnvironment;
import com.anthropic.models.beta.environments.BetaEnvironmentDeleteResponse;
import com.anthropic.models.beta.environments.BetaLimitedNetwork;
import com.anthropic.models.beta.environments.BetaLimitedNetworkParams;
import com.anthropic.models.beta.environments.BetaPackagesParams;
import com.anthropic.models.beta.environments.EnvironmentCreateParams;
import com.anthropic.models.beta.environments.EnvironmentListParams;
import com.anthropic.models.beta.environments.EnvironmentUpdateParams;
import com.anthropic.models.beta.sessions.BetaManagedAgentsAgentParams;
import com.anthropic.models.beta.sessions.BetaManagedAgentsAgentWithOverridesParams;
import com.anthropic.models.beta.sessions.BetaManagedAgentsSessionAgentUpdate;
import com.anthropic.models.beta.sessions.BetaManagedAgentsDeletedSession;
import com.anthropic.models.beta.sessions.BetaManagedAgentsSession;
import com.anthropic.models.beta.sessions.SessionCreateParams;
import com.anthropic.models.beta.sessions.SessionListParams;
import com.anthropic.models.beta.sessions.SessionUpdateParams;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSendSessionEvents;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSessionEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsSessionEventType;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsStreamSessionEvents;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserMessageEvent;
import com.anthropic.models.beta.sessions.events.BetaManagedAgentsUserMessageEventParams;
import com.anthropic.models.beta.sessions.events.EventListParams;
import com.anthropic.models.beta.sessions.events.EventSendParams;
import com.anthropic.models.beta.sessions.events.EventStreamParams;
import com.anthropic.models.beta.sessions.BetaManagedAgentsDeltaType;
import com.anthropic.models.beta.agents.versions.VersionListParams;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.junction.testing.Eventually;
import dev.junction.testing.Gateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a running gateway with the official Java SDK only: every request is built by the SDK and every
 * response is parsed by it, with strict response validation so a missing or mistyped field fails the test.
 */
class MaSdkIT {
  private static final String MODEL = "claude-sonnet-4-6";

  private Gateway gateway;
  private AnthropicClient client;

  @BeforeEach
  void start() {
    gateway = Gateway.start();
    client = sdk(gateway.baseUrl(), Gateway.KEY);
  }

  @AfterEach
  void stop() {
    client.close();
    gateway.close();
  }

  private static AnthropicClient sdk(String baseUrl, String apiKey) {
    return AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).responseValidation(true).build();
  }

  // ---------------------------------------------------------------- agents

  @Test
  void agentIsCreatedWithToolsetCustomToolAndMetadata() {
    BetaManagedAgentsAgent agent = client.beta().agents().create(AgentCreateParams.builder()
        .name("Coding Assistant")
        .model(BetaManagedAgentsModel.of(MODEL))
        .system("You are a helpful coding agent.")
        .description("Writes code")
        .addTool(BetaManagedAgentsAgentToolset20260401Params.builder()
            .addConfig(BetaManagedAgentsBashToolConfigParams.builder()
                .permissionPolicy(BetaManagedAgentsAlwaysAskPolicy.builder().build())
                .build())
            .build())
        .addTool(weatherTool())
        .metadata(AgentCreateParams.Metadata.builder().putAdditionalProperty("team", JsonValue.from("infra")).build())
        .build());

    assertTrue(agent.id().startsWith("agent_"), agent.id());
    assertEquals(1, agent.version());
    assertEquals("Coding Assistant", agent.name());
    assertEquals("You are a helpful coding agent.", agent.system().orElseThrow());
    assertEquals("Writes code", agent.description().orElseThrow());
    assertEquals(MODEL, agent.model().id().asString());
    assertEquals(Map.of("team", JsonValue.from("infra")), agent.metadata()._additionalProperties());
    assertTrue(agent.archivedAt().isEmpty());

    assertEquals(2, agent.tools().size());
    BetaManagedAgentsAgentToolset20260401 toolset = agent.tools().get(0).asAgentToolset20260401();
    assertTrue(toolset.defaultConfig().enabled());
    assertTrue(toolset.defaultConfig().permissionPolicy().isAlwaysAllow(), "built-in tools default to always_allow");
    assertEquals(1, toolset.configs().size());
    BetaManagedAgentsAgentToolConfig bash = toolset.configs().get(0);
    assertTrue(bash.bash().orElseThrow().enabled());
    assertTrue(bash.bash().orElseThrow().permissionPolicy().isAlwaysAsk());
    BetaManagedAgentsCustomTool custom = agent.tools().get(1).asCustom();
    assertEquals("get_weather", custom.name());
    assertEquals("Get weather for a city", custom.description());
    assertEquals(List.of("city"), custom.inputSchema().required().orElseThrow());

    BetaManagedAgentsAgent fetched = client.beta().agents().retrieve(agent.id());
    assertEquals(agent, fetched);
  }

  @Test
  void modelConfigMcpToolsetAndSkillsRoundTrip() {
    BetaManagedAgentsAgent agent = client.beta().agents().create(AgentCreateParams.builder()
        .name("Integrator")
        .model(BetaManagedAgentsModelConfigParams.builder().id(MODEL).effort(BetaManagedAgentsEffortMax.builder().build())
            .speed(BetaManagedAgentsModelConfigParams.Speed.FAST).build())
        .addMcpServer(BetaManagedAgentsUrlMcpServerParams.builder().name("github").url("https://mcp.example.com/github").build())
        .addMcpToolsetTool("github")
        .addSkill(BetaManagedAgentsAnthropicSkillParams.builder().skillId("xlsx").build())
        .build());

    assertTrue(agent.model().effort().orElseThrow().isMax());
    assertEquals(BetaManagedAgentsModelConfig.Speed.FAST, agent.model().speed().orElseThrow());
    assertEquals("github", agent.mcpServers().get(0).name());
    assertEquals("https://mcp.example.com/github", agent.mcpServers().get(0).url());
    BetaManagedAgentsMcpToolset toolset = agent.tools().get(0).asMcpToolset();
    assertEquals("github", toolset.mcpServerName());
    assertTrue(toolset.defaultConfig().permissionPolicy().isAlwaysAsk(), "MCP tools default to always_ask");
    assertEquals(List.of(), toolset.configs());
    BetaManagedAgentsAnthropicSkill skill = agent.skills().get(0).asAnthropic();
    assertEquals("xlsx", skill.skillId());
    assertEquals("latest", skill.version());
  }

  @Test
  void updateCreatesVersionTwoAndKeepsVersionOneReadable() {
    BetaManagedAgentsAgent v1 = client.beta().agents().create(AgentCreateParams.builder().name("Researcher")
        .model(BetaManagedAgentsModel.of(MODEL))
        .metadata(AgentCreateParams.Metadata.builder().putAdditionalProperty("team", JsonValue.from("lab")).build())
        .build());

    BetaManagedAgentsAgent v2 = client.beta().agents().update(v1.id(), AgentUpdateParams.builder()
        .version(1)
        .name("Senior Researcher")
        .system("Cite sources.")
        .metadata(AgentUpdateParams.Metadata.builder()
            .putAdditionalProperty("tier", JsonValue.from("gold"))
            .putAdditionalProperty("team", JsonValue.from(null))
            .build())
        .build());

    assertEquals(v1.id(), v2.id());
    assertEquals(2, v2.version());
    assertEquals("Senior Researcher", v2.name());
    assertEquals("Cite sources.", v2.system().orElseThrow());
    assertEquals(Map.of("tier", JsonValue.from("gold")), v2.metadata()._additionalProperties());
    assertEquals(v1.createdAt(), v2.createdAt());

    assertEquals(2, client.beta().agents().retrieve(v1.id()).version());
    BetaManagedAgentsAgent old = client.beta().agents().retrieve(v1.id(), AgentRetrieveParams.builder().version(1).build());
    assertEquals(1, old.version());
    assertEquals("Researcher", old.name());
    assertTrue(old.system().isEmpty());
    assertEquals(Map.of("team", JsonValue.from("lab")), old.metadata()._additionalProperties());

    Map<Integer, String> versions = client.beta().agents().versions().list(v1.id()).data().stream()
        .collect(Collectors.toMap(BetaManagedAgentsAgent::version, BetaManagedAgentsAgent::name));
    assertEquals(Map.of(1, "Researcher", 2, "Senior Researcher"), versions);
    assertThrows(NotFoundException.class,
        () -> client.beta().agents().retrieve(v1.id(), AgentRetrieveParams.builder().version(3).build()));
  }

  @Test
  void updateReplacesToolsClearsFieldsAndPagesVersions() {
    BetaManagedAgentsAgent v1 = client.beta().agents().create(AgentCreateParams.builder().name("Forecaster")
        .model(BetaManagedAgentsModel.of(MODEL)).description("Weather only").addTool(weatherTool()).build());

    BetaManagedAgentsAgent v2 = client.beta().agents().update(v1.id(), AgentUpdateParams.builder()
        .version(1).tools(List.of()).description((String) null).build());
    BetaManagedAgentsAgent v3 = client.beta().agents().update(v1.id(), AgentUpdateParams.builder()
        .version(2).addTool(BetaManagedAgentsAgentToolset20260401Params.builder().build()).build());

    assertEquals(List.of(), v2.tools());
    assertTrue(v2.description().isEmpty());
    assertEquals(3, v3.version());
    assertTrue(v3.tools().get(0).isAgentToolset20260401());
    assertEquals("Forecaster", v3.name(), "omitted fields are kept");
    List<Integer> seen = new ArrayList<>();
    client.beta().agents().versions().list(v1.id(), VersionListParams.builder().limit(1).build())
        .autoPager().forEach(a -> seen.add(a.version()));
    assertEquals(Set.of(1, 2, 3), Set.copyOf(seen));
    assertEquals(3, seen.size());
  }

  @Test
  void staleVersionUpdateConflictsWithoutRetry() throws IOException {
    BetaManagedAgentsAgent agent = createAgent("Planner");
    client.beta().agents().update(agent.id(), AgentUpdateParams.builder().version(1).name("Planner v2").build());

    try (CountingProxy proxy = CountingProxy.to(gateway.baseUrl())) {
      ConflictException e = proxy.expectConflict(c -> c.beta().agents().update(agent.id(),
          AgentUpdateParams.builder().version(1).name("Planner stale").build()));

      assertEquals(1, proxy.count("POST /v1/agents/" + agent.id()), "a version conflict must not be retried");
      assertEquals(List.of("false"), e.headers().values("x-should-retry"));
    }
    BetaManagedAgentsAgent current = client.beta().agents().retrieve(agent.id());
    assertEquals(2, current.version());
    assertEquals("Planner v2", current.name());
  }

  @Test
  void writesToArchivedResourcesConflictWithoutRetry() throws IOException {
    BetaManagedAgentsSession session = newSession();
    String agentId = session.agent().id();
    client.beta().agents().archive(agentId);
    client.beta().sessions().archive(session.id());

    try (CountingProxy proxy = CountingProxy.to(gateway.baseUrl())) {
      proxy.expectConflict(c -> c.beta().agents().update(agentId, AgentUpdateParams.builder().name("Renamed").build()));
      proxy.expectConflict(c -> c.beta().sessions().events().send(session.id(), userMessage("too late")));

      assertEquals(1, proxy.count("POST /v1/agents/" + agentId));
      assertEquals(1, proxy.count("POST /v1/sessions/" + session.id() + "/events"));
    }
    assertEquals(List.of(), client.beta().sessions().events().list(session.id()).data());
  }

  @Test
  void archivedAgentIsHiddenFromListUnlessIncluded() {
    BetaManagedAgentsAgent kept = createAgent("Kept");
    BetaManagedAgentsAgent gone = createAgent("Gone");

    BetaManagedAgentsAgent archived = client.beta().agents().archive(gone.id());

    assertEquals(gone.id(), archived.id());
    assertTrue(archived.archivedAt().isPresent());
    assertEquals(archived.archivedAt(), client.beta().agents().retrieve(gone.id()).archivedAt());
    assertEquals(List.of(kept.id()), ids(client.beta().agents().list().data(), BetaManagedAgentsAgent::id));
    assertEquals(Set.of(kept.id(), gone.id()), Set.copyOf(ids(client.beta().agents()
        .list(AgentListParams.builder().includeArchived(true).build()).data(), BetaManagedAgentsAgent::id)));
  }

  @Test
  void autoPagerVisitsEveryAgentOnceInListOrder() {
    List<BetaManagedAgentsAgent> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(createAgent("Agent " + i));
    }
    // Newest first; agents created within the same millisecond are ordered by id.
    List<String> expected = created.stream()
        .sorted(Comparator.comparing(BetaManagedAgentsAgent::createdAt).thenComparing(BetaManagedAgentsAgent::id).reversed())
        .map(BetaManagedAgentsAgent::id).toList();

    AgentListPage first = client.beta().agents().list(AgentListParams.builder().limit(3).build());
    List<String> seen = new ArrayList<>();
    first.autoPager().forEach(a -> seen.add(a.id()));

    assertEquals(expected, seen);
  }

  @Test
  void nextPageCursorWalksThreePages() {
    for (int i = 0; i < 7; i++) {
      createAgent("Agent " + i);
    }
    AgentListParams params = AgentListParams.builder().limit(3).build();

    AgentListPage page1 = client.beta().agents().list(params);
    assertEquals(3, page1.data().size());
    assertTrue(page1.hasNextPage());
    AgentListPage page2 = client.beta().agents().list(params.toBuilder().page(page1.nextPageRaw().orElseThrow()).build());
    assertEquals(3, page2.data().size());
    assertTrue(page2.hasNextPage());
    AgentListPage page3 = page2.nextPage();
    assertEquals(1, page3.data().size());
    assertFalse(page3.hasNextPage(), "the last page must carry next_page: null");

    List<String> all = new ArrayList<>();
    for (AgentListPage p : List.of(page1, page2, page3)) {
      all.addAll(ids(p.data(), BetaManagedAgentsAgent::id));
    }
    assertEquals(7, Set.copyOf(all).size());
  }

  // ---------------------------------------------------------------- environments

  @Test
  void environmentLifecycle() {
    BetaEnvironment env = client.beta().environments().create(EnvironmentCreateParams.builder()
        .name("python-data-analysis")
        .description("Pandas sandbox")
        .config(BetaCloudConfigParams.builder()
            .networking(BetaLimitedNetworkParams.builder()
                .addAllowedHost("api.example.com")
                .allowMcpServers(true)
                .allowPackageManagers(false)
                .build())
            .packages(BetaPackagesParams.builder().addPip("pandas==2.2.0").addNpm("left-pad").build())
            .build())
        .metadata(EnvironmentCreateParams.Metadata.builder().putAdditionalProperty("owner", JsonValue.from("data")).build())
        .build());

    assertTrue(env.id().startsWith("env_"), env.id());
    assertEquals("python-data-analysis", env.name());
    assertEquals("Pandas sandbox", env.description().orElseThrow());
    assertEquals(Map.of("owner", JsonValue.from("data")), env.metadata()._additionalProperties());
    BetaCloudConfig cloud = env.config().asCloud();
    BetaLimitedNetwork net = cloud.networking().asLimited();
    assertEquals(List.of("api.example.com"), net.allowedHosts());
    assertTrue(net.allowMcpServers());
    assertFalse(net.allowPackageManagers());
    assertEquals(List.of("pandas==2.2.0"), cloud.packages().pip());
    assertEquals(List.of("left-pad"), cloud.packages().npm());
    assertEquals(List.of(), cloud.packages().apt());
    assertEquals(env, client.beta().environments().retrieve(env.id()));

    BetaEnvironment updated = client.beta().environments().update(env.id(), EnvironmentUpdateParams.builder()
        .name("python-data-analysis-2")
        .config(BetaCloudConfigParams.builder().packages(BetaPackagesParams.builder().addApt("git").build()).build())
        .metadata(EnvironmentUpdateParams.Metadata.builder().putAdditionalProperty("stage", JsonValue.from("prod")).build())
        .build());
    assertEquals("python-data-analysis-2", updated.name());
    assertEquals("Pandas sandbox", updated.description().orElseThrow());
    assertEquals(List.of("git"), updated.config().asCloud().packages().apt());
    assertEquals(List.of("pandas==2.2.0"), updated.config().asCloud().packages().pip(), "omitted package lists are kept");
    assertEquals(net, updated.config().asCloud().networking().asLimited(), "omitted networking is kept");
    assertEquals(Map.of("owner", JsonValue.from("data"), "stage", JsonValue.from("prod")), updated.metadata()._additionalProperties());

    BetaEnvironment other = createEnvironment("scratch");
    assertEquals(Set.of(env.id(), other.id()), Set.copyOf(ids(client.beta().environments().list().data(), BetaEnvironment::id)));

    BetaEnvironment archived = client.beta().environments().archive(env.id());
    assertTrue(archived.archivedAt().isPresent());
    assertEquals(List.of(other.id()), ids(client.beta().environments().list().data(), BetaEnvironment::id));
    assertEquals(Set.of(env.id(), other.id()), Set.copyOf(ids(client.beta().environments()
        .list(EnvironmentListParams.builder().includeArchived(true).build()).data(), BetaEnvironment::id)));

    BetaEnvironmentDeleteResponse deleted = client.beta().environments().delete(other.id());
    assertEquals(other.id(), deleted.id());
    assertThrows(NotFoundException.class, () -> client.beta().environments().retrieve(other.id()));
    assertEquals(List.of(env.id()), ids(client.beta().environments()
        .list(EnvironmentListParams.builder().includeArchived(true).build()).data(), BetaEnvironment::id));
  }

  // ---------------------------------------------------------------- sessions

  @Test
  void sessionPinsLatestOrRequestedAgentVersion() {
    BetaManagedAgentsAgent agent = createAgent("Support");
    client.beta().agents().update(agent.id(), AgentUpdateParams.builder().version(1).name("Support v2").build());
    String envId = createEnvironment("support-env").id();

    BetaManagedAgentsSession latest = client.beta().sessions().create(SessionCreateParams.builder()
        .agent(agent.id()).environmentId(envId).title("Order lookup").build());
    BetaManagedAgentsSession pinned = client.beta().sessions().create(SessionCreateParams.builder()
        .agent(BetaManagedAgentsAgentParams.builder().id(agent.id()).version(1).build()).environmentId(envId).build());

    assertTrue(latest.id().startsWith("sesn_"), latest.id());
    assertEquals(BetaManagedAgentsSession.Status.IDLE, latest.status());
    assertEquals("Order lookup", latest.title().orElseThrow());
    assertEquals(envId, latest.environmentId());
    assertEquals(agent.id(), latest.agent().id());
    assertEquals(2, latest.agent().version());
    assertEquals("Support v2", latest.agent().name());
    assertEquals(agent.id(), pinned.agent().id());
    assertEquals(1, pinned.agent().version());
    assertEquals("Support", pinned.agent().name());
    assertTrue(pinned.title().isEmpty());

    BetaManagedAgentsSession fetched = client.beta().sessions().retrieve(latest.id());
    assertEquals(latest.agent(), fetched.agent());
    assertEquals(latest.createdAt(), fetched.createdAt());
    assertEquals(latest.updatedAt(), fetched.updatedAt());
    assertEquals(latest.title(), fetched.title());
  }

  @Test
  void sessionCarriesResourcesAndInitialEvents() {
    BetaManagedAgentsAgent agent = createAgent("Reviewer");
    String envId = createEnvironment("env").id();

    BetaManagedAgentsSession session = client.beta().sessions().create(SessionCreateParams.builder()
        .agent(agent.id()).environmentId(envId)
        .addResource(BetaManagedAgentsGitHubRepositoryResourceParams.builder().url("https://github.com/acme/shop")
            .authorizationToken("ghp_secret").branchCheckout("main").build())
        .addFileResource("file_011abc")
        .addMemoryStoreResource("memstore_011abc")
        .addInitialEvent(BetaManagedAgentsUserMessageEventParams.builder().addTextContent("Review the open pull request").build())
        .build());

    List<BetaManagedAgentsSessionResource> resources = session.resources();
    assertEquals(3, resources.size());
    BetaManagedAgentsGitHubRepositoryResource repo = resources.get(0).asGitHubRepository();
    assertTrue(repo.id().startsWith("sesrsc_"), repo.id());
    assertEquals("https://github.com/acme/shop", repo.url());
    assertEquals("/workspace/shop", repo.mountPath());
    assertEquals("main", repo.checkout().orElseThrow().asBranch().name());
    assertFalse(repo._additionalProperties().containsKey("authorization_token"), "the token is write-only");
    BetaManagedAgentsFileResource file = resources.get(1).asFile();
    assertEquals("file_011abc", file.fileId());
    assertEquals("/mnt/session/uploads/file_011abc", file.mountPath());
    assertEquals("memstore_011abc", resources.get(2).asMemoryStore().memoryStoreId());

    List<BetaManagedAgentsSessionEvent> events = listEvents(session.id(), BetaManagedAgentsSessionEventType.USER_MESSAGE);
    assertEquals(1, events.size());
    assertEquals("Review the open pull request", events.get(0).asUserMessage().content().get(0).asText().text());
  }

  @Test
  void sessionOverridesApplyToItsSnapshotOnly() {
    BetaManagedAgentsAgent agent = createAgent("Base");
    String envId = createEnvironment("env").id();

    BetaManagedAgentsSession session = client.beta().sessions().create(SessionCreateParams.builder()
        .agent(BetaManagedAgentsAgentWithOverridesParams.builder().id(agent.id()).version(1)
            .model(BetaManagedAgentsModel.of("claude-haiku-4-5"))
            .system("Answer in one line.")
            .addTool(weatherTool())
            .build())
        .environmentId(envId).build());

    assertEquals(agent.id(), session.agent().id());
    assertEquals(1, session.agent().version());
    assertEquals("claude-haiku-4-5", session.agent().model().id().asString());
    assertEquals("Answer in one line.", session.agent().system().orElseThrow());
    assertEquals("get_weather", session.agent().tools().get(0).asCustom().name());
    BetaManagedAgentsAgent unchanged = client.beta().agents().retrieve(agent.id());
    assertEquals(MODEL, unchanged.model().id().asString());
    assertEquals(List.of(), unchanged.tools());
  }

  @Test
  void sessionToolUpdateIsSnapshottedAndAnnounced() {
    BetaManagedAgentsSession session = newSession();

    BetaManagedAgentsSession updated = client.beta().sessions().update(session.id(), SessionUpdateParams.builder()
        .agent(BetaManagedAgentsSessionAgentUpdate.builder().addTool(weatherTool()).build())
        .build());

    assertEquals("get_weather", updated.agent().tools().get(0).asCustom().name());
    assertEquals(session.agent().name(), updated.agent().name());
    List<BetaManagedAgentsSessionEvent> events = listEvents(session.id(), BetaManagedAgentsSessionEventType.SESSION_UPDATED);
    assertEquals(1, events.size());
    assertEquals(updated.agent(), events.get(0).asSessionUpdated().agent().orElseThrow());
  }

  @Test
  void sessionListFiltersByAgentVersionStatusAndArchive() {
    BetaManagedAgentsAgent x = createAgent("X");
    client.beta().agents().update(x.id(), AgentUpdateParams.builder().version(1).name("X2").build());
    BetaManagedAgentsAgent y = createAgent("Y");
    String envId = createEnvironment("env").id();
    BetaManagedAgentsSession xv1 = createSession(BetaManagedAgentsAgentParams.builder().id(x.id()).version(1).build(), envId);
    BetaManagedAgentsSession xv2 = createSession(BetaManagedAgentsAgentParams.of(x.id()), envId);
    BetaManagedAgentsSession yv1 = createSession(BetaManagedAgentsAgentParams.of(y.id()), envId);

    assertEquals(Set.of(xv1.id(), xv2.id()), sessionIds(SessionListParams.builder().agentId(x.id())));
    assertEquals(Set.of(xv1.id()), sessionIds(SessionListParams.builder().agentId(x.id()).agentVersion(1)));
    assertEquals(Set.of(xv2.id()), sessionIds(SessionListParams.builder().agentId(x.id()).agentVersion(2)));
    assertEquals(Set.of(yv1.id()), sessionIds(SessionListParams.builder().agentId(y.id())));
    assertEquals(Set.of(xv1.id(), xv2.id(), yv1.id()),
        sessionIds(SessionListParams.builder().addStatus(SessionListParams.Status.IDLE)));
    assertEquals(Set.of(), sessionIds(SessionListParams.builder()
        .addStatus(SessionListParams.Status.RUNNING).addStatus(SessionListParams.Status.TERMINATED)));

    client.beta().sessions().archive(yv1.id());
    assertEquals(Set.of(xv1.id(), xv2.id()), sessionIds(SessionListParams.builder()));
    assertEquals(Set.of(xv1.id(), xv2.id(), yv1.id()), sessionIds(SessionListParams.builder().includeArchived(true)));
  }

  @Test
  void sessionListOrdersAndFiltersByCreationTime() {
    BetaManagedAgentsAgent agent = createAgent("Timekeeper");
    String envId = createEnvironment("env").id();
    List<BetaManagedAgentsSession> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(createSession(BetaManagedAgentsAgentParams.of(agent.id()), envId));
    }
    List<String> ascending = created.stream()
        .sorted(Comparator.comparing(BetaManagedAgentsSession::createdAt).thenComparing(BetaManagedAgentsSession::id))
        .map(BetaManagedAgentsSession::id).toList();
    List<String> descending = new ArrayList<>(ascending);
    Collections.reverse(descending);

    assertEquals(ascending, listSessionIds(SessionListParams.builder().order(SessionListParams.Order.ASC)));
    assertEquals(descending, listSessionIds(SessionListParams.builder().order(SessionListParams.Order.DESC)));
    assertEquals(descending, listSessionIds(SessionListParams.builder()), "the default order is newest first");
    assertEquals(ascending, listSessionIds(SessionListParams.builder().order(SessionListParams.Order.ASC).limit(2)),
        "the auto-pager keeps the order across pages");

    OffsetDateTime first = created.get(0).createdAt();
    OffsetDateTime last = created.get(2).createdAt();
    OffsetDateTime middle = created.get(1).createdAt();
    assertEquals(Set.copyOf(ascending), sessionIds(SessionListParams.builder().createdAtGte(first).createdAtLte(last)));
    assertEquals(Set.of(), sessionIds(SessionListParams.builder().createdAtLt(first)));
    assertEquals(Set.of(), sessionIds(SessionListParams.builder().createdAtGt(last)));
    Set<String> atMiddle = created.stream().filter(s -> s.createdAt().isEqual(middle))
        .map(BetaManagedAgentsSession::id).collect(Collectors.toSet());
    assertTrue(atMiddle.contains(created.get(1).id()));
    assertEquals(atMiddle, sessionIds(SessionListParams.builder().createdAtGte(middle).createdAtLte(middle)));
  }

  @Test
  void sessionPagesLinkForwardAndBack() {
    BetaManagedAgentsAgent agent = createAgent("Pager");
    String envId = createEnvironment("env").id();
    for (int i = 0; i < 5; i++) {
      createSession(BetaManagedAgentsAgentParams.of(agent.id()), envId);
    }
    SessionListParams params = SessionListParams.builder().order(SessionListParams.Order.ASC).limit(2).build();

    SessionListPage page1 = client.beta().sessions().list(params);
    assertTrue(page1.response().prevPage().isEmpty(), "the first page has no prev_page");
    SessionListPage page2 = page1.nextPage();
    SessionListPage page3 = page2.nextPage();
    assertEquals(List.of(2, 2, 1), List.of(page1.data().size(), page2.data().size(), page3.data().size()));
    assertFalse(page3.hasNextPage());

    SessionListPage back = client.beta().sessions().list(params.toBuilder().page(page2.response().prevPage().orElseThrow()).build());
    assertEquals(ids(page1.data(), BetaManagedAgentsSession::id), ids(back.data(), BetaManagedAgentsSession::id));
  }

  @Test
  void timeFiltersHonourOffsetsAndSubMillisecondBounds() {
    BetaManagedAgentsSession session = newSession();
    OffsetDateTime created = session.createdAt();
    OffsetDateTime twoHoursEast = created.withOffsetSameInstant(ZoneOffset.ofHours(2));
    OffsetDateTime halfAMillisecondLater = created.plusNanos(500_000);

    assertEquals(Set.of(session.id()), sessionIds(SessionListParams.builder().createdAtGte(twoHoursEast).createdAtLte(twoHoursEast)));
    assertEquals(Set.of(session.id()), sessionIds(SessionListParams.builder().createdAtLt(halfAMillisecondLater)));
    assertEquals(Set.of(), sessionIds(SessionListParams.builder().createdAtGte(halfAMillisecondLater)));
    assertEquals(Set.of(session.id()), sessionIds(SessionListParams.builder().createdAtGt(created.minusNanos(500_000))));
    assertEquals(Set.of(), sessionIds(SessionListParams.builder().createdAtLte(created.minusNanos(500_000))));
  }

  @Test
  void sessionUpdateArchiveAndDelete() {
    BetaManagedAgentsAgent agent = createAgent("Editor");
    String envId = createEnvironment("env").id();
    BetaManagedAgentsSession session = client.beta().sessions().create(SessionCreateParams.builder()
        .agent(agent.id()).environmentId(envId).title("Draft")
        .metadata(SessionCreateParams.Metadata.builder()
            .putAdditionalProperty("a", JsonValue.from("1"))
            .putAdditionalProperty("b", JsonValue.from("2"))
            .build())
        .build());

    BetaManagedAgentsSession updated = client.beta().sessions().update(session.id(), SessionUpdateParams.builder()
        .title("Final")
        .metadata(SessionUpdateParams.Metadata.builder()
            .putAdditionalProperty("b", JsonValue.from(null))
            .putAdditionalProperty("c", JsonValue.from("3"))
            .build())
        .build());
    assertEquals("Final", updated.title().orElseThrow());
    assertEquals(Map.of("a", JsonValue.from("1"), "c", JsonValue.from("3")), updated.metadata()._additionalProperties());
    BetaManagedAgentsSession fetched = client.beta().sessions().retrieve(session.id());
    assertEquals("Final", fetched.title().orElseThrow());
    assertEquals(updated.metadata(), fetched.metadata());

    BetaManagedAgentsSession archived = client.beta().sessions().archive(session.id());
    assertEquals(session.id(), archived.id());
    assertTrue(archived.archivedAt().isPresent());

    BetaManagedAgentsDeletedSession deleted = client.beta().sessions().delete(session.id());
    assertEquals(session.id(), deleted.id());
    assertThrows(NotFoundException.class, () -> client.beta().sessions().retrieve(session.id()));
    assertThrows(NotFoundException.class, () -> client.beta().sessions().events().list(session.id()));
  }

  // ---------------------------------------------------------------- events

  @Test
  void sentMessageIsListedWithTheSameIdAndFilteredByType() {
    BetaManagedAgentsSession session = newSession();

    BetaManagedAgentsSendSessionEvents sent = client.beta().sessions().events().send(session.id(), userMessage("Where is my order?"));
    List<BetaManagedAgentsSendSessionEvents.Data> echoed = sent.data().orElseThrow();
    assertEquals(1, echoed.size());
    BetaManagedAgentsUserMessageEvent echo = echoed.get(0).asUserMessage();
    assertTrue(echo.id().startsWith("sevt_"), echo.id());
    assertEquals("Where is my order?", echo.content().get(0).asText().text());
    client.beta().sessions().update(session.id(), SessionUpdateParams.builder().title("Renamed").build());

    // The agent loop appends its own events too; the client's and the update's are what this checks.
    List<BetaManagedAgentsSessionEvent> all = client.beta().sessions().events().list(session.id(), EventListParams.builder()
        .addType(BetaManagedAgentsSessionEventType.USER_MESSAGE).addType(BetaManagedAgentsSessionEventType.SESSION_UPDATED)
        .build()).data();
    assertEquals(2, all.size());
    BetaManagedAgentsUserMessageEvent listed = all.get(0).asUserMessage();
    assertEquals(echo.id(), listed.id());
    assertEquals(echo.content(), listed.content());
    assertEquals("Renamed", all.get(1).asSessionUpdated().title().orElseThrow());

    List<BetaManagedAgentsSessionEvent> messages = listEvents(session.id(), BetaManagedAgentsSessionEventType.USER_MESSAGE);
    assertEquals(List.of(echo.id()), ids(messages, BetaManagedAgentsSessionEvent::id));
    List<BetaManagedAgentsSessionEvent> updates = listEvents(session.id(), BetaManagedAgentsSessionEventType.SESSION_UPDATED);
    assertEquals(List.of(all.get(1).id()), ids(updates, BetaManagedAgentsSessionEvent::id));
    assertEquals(List.of(), listEvents(session.id(), BetaManagedAgentsSessionEventType.AGENT_MESSAGE));

    OffsetDateTime sentAt = echo.processedAt().orElseThrow();
    List<BetaManagedAgentsSessionEvent> atSend = client.beta().sessions().events().list(session.id(),
        EventListParams.builder().createdAtGte(sentAt).createdAtLte(sentAt).build()).data();
    assertTrue(ids(atSend, BetaManagedAgentsSessionEvent::id).contains(echo.id()));
    assertEquals(List.of(), client.beta().sessions().events().list(session.id(),
        EventListParams.builder().createdAtLt(sentAt).build()).data());
  }

  @Test
  void everyClientEventTypeIsEchoedAndListedInOrder() {
    BetaManagedAgentsSession session = newSession();
    var events = client.beta().sessions().events();

    List<BetaManagedAgentsSendSessionEvents.Data> echoes = new ArrayList<>();
    echoes.addAll(events.send(session.id(), EventSendParams.builder()
        .addEvent(BetaManagedAgentsUserDefineOutcomeEventParams.builder().description("A passing build")
            .textRubric("All tests green").maxIterations(5).build())
        .build()).data().orElseThrow());
    echoes.addAll(events.send(session.id(), EventSendParams.builder()
        .addEvent(BetaManagedAgentsUserToolConfirmationEventParams.builder().toolUseId("sevt_tooluse")
            .result(BetaManagedAgentsUserToolConfirmationEventParams.Result.DENY).denyMessage("Not that file").build())
        .addUserCustomToolResultEvent("sevt_customtooluse")
        .addEvent(BetaManagedAgentsUserInterruptEventParams.builder().build())
        .build()).data().orElseThrow());
    echoes.addAll(events.send(session.id(), EventSendParams.builder()
        .addEvent(BetaManagedAgentsUserMessageEventParams.builder().addTextContent("Carry on").build())
        .addEvent(BetaManagedAgentsSystemMessageEventParams.builder().addTextContent("The user is in UTC.").build())
        .build()).data().orElseThrow());

    BetaManagedAgentsUserDefineOutcomeEvent outcome = echoes.get(0).asUserDefineOutcome();
    assertTrue(outcome.outcomeId().startsWith("outc_"), outcome.outcomeId());
    assertEquals(5, outcome.maxIterations().orElseThrow());
    assertEquals("All tests green", outcome.rubric().asText().content());
    BetaManagedAgentsUserToolConfirmationEvent confirmation = echoes.get(1).asUserToolConfirmation();
    assertEquals("sevt_tooluse", confirmation.toolUseId());
    assertEquals("Not that file", confirmation.denyMessage().orElseThrow());
    assertEquals("sevt_customtooluse", echoes.get(2).asUserCustomToolResult().customToolUseId());
    assertTrue(echoes.get(3).isUserInterrupt());
    assertEquals("Carry on", echoes.get(4).asUserMessage().content().get(0).asText().text());
    assertEquals("The user is in UTC.", echoes.get(5).asSystemMessage().content().get(0).text());

    List<String> echoedIds = ids(echoes, BetaManagedAgentsSendSessionEvents.Data::id);
    assertEquals(6, Set.copyOf(echoedIds).size());
    // Only the client's own event types: the agent loop reacts to them with events of its own.
    java.util.function.Supplier<EventListParams.Builder> clientTypes = () -> EventListParams.builder()
        .addType(BetaManagedAgentsSessionEventType.USER_DEFINE_OUTCOME)
        .addType(BetaManagedAgentsSessionEventType.USER_TOOL_CONFIRMATION)
        .addType(BetaManagedAgentsSessionEventType.USER_CUSTOM_TOOL_RESULT)
        .addType(BetaManagedAgentsSessionEventType.USER_INTERRUPT)
        .addType(BetaManagedAgentsSessionEventType.USER_MESSAGE)
        .addType(BetaManagedAgentsSessionEventType.SYSTEM_MESSAGE);
    List<BetaManagedAgentsSessionEvent> listed = events.list(session.id(), clientTypes.get().build()).data();
    assertEquals(echoedIds, ids(listed, BetaManagedAgentsSessionEvent::id));
    List<String> paged = new ArrayList<>();
    events.list(session.id(), clientTypes.get().limit(2).build()).autoPager().forEach(e -> paged.add(e.id()));
    assertEquals(echoedIds, paged, "three pages of two, in order");
    List<BetaManagedAgentsSessionEvent> newestFirst = events.list(session.id(),
        clientTypes.get().order(EventListParams.Order.DESC).limit(4).build()).data();
    assertEquals(List.of(echoedIds.get(5), echoedIds.get(4), echoedIds.get(3), echoedIds.get(2)),
        ids(newestFirst, BetaManagedAgentsSessionEvent::id));
  }

  @Test
  void streamOpenedBeforeSendingReceivesTheEchoWithItsListedId() throws Exception {
    BetaManagedAgentsSession session = newSession();

    try (StreamResponse<BetaManagedAgentsStreamSessionEvents> stream = client.beta().sessions().events()
        .streamStreaming(session.id())) {
      assertEquals(1, gateway.junction().openStreams(), "the gateway subscribes before it answers");
      CompletableFuture<BetaManagedAgentsUserMessageEvent> received = CompletableFuture.supplyAsync(() -> stream.stream()
          .filter(BetaManagedAgentsStreamSessionEvents::isUserMessage)
          .map(BetaManagedAgentsStreamSessionEvents::asUserMessage)
          .findFirst().orElseThrow());

      String sentId = client.beta().sessions().events().send(session.id(), userMessage("ping over SSE"))
          .data().orElseThrow().get(0).asUserMessage().id();
      BetaManagedAgentsUserMessageEvent streamed = received.get(10, TimeUnit.SECONDS);

      assertEquals(sentId, streamed.id());
      assertEquals("ping over SSE", streamed.content().get(0).asText().text());
      List<BetaManagedAgentsSessionEvent> listed = listEvents(session.id(), BetaManagedAgentsSessionEventType.USER_MESSAGE);
      assertEquals(List.of(streamed.id()), ids(listed, BetaManagedAgentsSessionEvent::id));
    }
    Eventually.assertTrue("the gateway frees a stream the SDK closed", () -> gateway.junction().openStreams() == 0, 5_000);
  }

  @Test
  void deletingTheSessionEndsItsStreamWithSessionDeleted() throws Exception {
    BetaManagedAgentsSession session = newSession();

    EventStreamParams withPreviews = EventStreamParams.builder().addEventDelta(BetaManagedAgentsDeltaType.AGENT_MESSAGE).build();
    try (StreamResponse<BetaManagedAgentsStreamSessionEvents> stream = client.beta().sessions().events()
        .streamStreaming(session.id(), withPreviews)) {
      CompletableFuture<List<BetaManagedAgentsStreamSessionEvents>> all = CompletableFuture.supplyAsync(() -> stream.stream().toList());
      String sentId = client.beta().sessions().events().send(session.id(), userMessage("bye"))
          .data().orElseThrow().get(0).asUserMessage().id();

      client.beta().sessions().delete(session.id());
      List<BetaManagedAgentsStreamSessionEvents> events = all.get(10, TimeUnit.SECONDS);

      assertEquals(sentId, events.get(0).asUserMessage().id());
      assertTrue(events.get(events.size() - 1).asSessionDeleted().id().startsWith("sevt_"), "the stream ends with session.deleted");
      assertEquals(1, events.stream().filter(BetaManagedAgentsStreamSessionEvents::isSessionDeleted).count());
      assertEquals(0, gateway.junction().openStreams());
    }
  }

  // ---------------------------------------------------------------- errors and tenancy

  @Test
  void errorCodesBecomeTypedSdkExceptions() {
    BetaEnvironment env = createEnvironment("cloud-env");

    BetaEnvironmentNotFoundException missing = assertThrows(BetaEnvironmentNotFoundException.class,
        () -> client.beta().environments().retrieve("env_doesnotexist"));
    assertEquals(404, missing.statusCode());
    assertEquals(ErrorType.NOT_FOUND_ERROR, missing.type().orElseThrow());
    assertEquals("environment_not_found", missing.errorCode().orElseThrow());
    assertTrue(missing.apiMessage().orElseThrow().contains("env_doesnotexist"));
    assertTrue(missing.requestId().orElseThrow().startsWith("req_"));
    missing.details().validate();

    assertThrows(BetaInvalidConfigTypeChangeException.class, () -> client.beta().environments().update(env.id(),
        EnvironmentUpdateParams.builder().config(BetaSelfHostedConfigParams.builder().build()).build()));

    assertThrows(BetaInvalidMetadataException.class, () -> client.beta().environments().update(env.id(),
        EnvironmentUpdateParams.builder().metadata(EnvironmentUpdateParams.Metadata.builder()
            .putAdditionalProperty("owner", JsonValue.from(42)).build()).build()));

    String agentId = createAgent("Any").id();
    client.beta().environments().archive(env.id());
    BetaEnvironmentArchivedException archived = assertThrows(BetaEnvironmentArchivedException.class,
        () -> client.beta().sessions().create(SessionCreateParams.builder().agent(agentId).environmentId(env.id()).build()));
    assertEquals(400, archived.statusCode());

    NotFoundException notYet = assertThrows(NotFoundException.class, () -> client.beta().vaults().list());
    assertEquals(ErrorType.NOT_FOUND_ERROR, notYet.type().orElseThrow(), "surfaces not served yet answer in the MA envelope");
  }

  @Test
  void everyResponseCarriesARequestId() {
    try (HttpResponseFor<BetaManagedAgentsAgent> raw = client.beta().agents().withRawResponse()
        .create(AgentCreateParams.builder().name("Traced").model(BetaManagedAgentsModel.of(MODEL)).build())) {
      assertEquals(200, raw.statusCode());
      assertTrue(raw.requestId().orElseThrow().startsWith("req_"));
      assertEquals("Traced", raw.parse().name());
    }
  }

  @Test
  void tenantsSeeOnlyTheirOwnResources() {
    BetaManagedAgentsAgent mine = createAgent("Private");
    AnthropicClient other = sdk(gateway.baseUrl(), Gateway.OTHER_KEY);
    try {
      assertThrows(NotFoundException.class, () -> other.beta().agents().retrieve(mine.id()));
      assertEquals(List.of(), other.beta().agents().list().data());
      BetaManagedAgentsAgent theirs = other.beta().agents().create(AgentCreateParams.builder().name("Theirs")
          .model(BetaManagedAgentsModel.of(MODEL)).build());
      assertEquals(List.of(mine.id()), ids(client.beta().agents().list().data(), BetaManagedAgentsAgent::id));
      assertEquals(List.of(theirs.id()), ids(other.beta().agents().list().data(), BetaManagedAgentsAgent::id));
    } finally {
      other.close();
    }
  }

  @Test
  void unknownKeyIsUnauthorized() {
    AnthropicClient stranger = sdk(gateway.baseUrl(), "not-a-key");
    try {
      UnauthorizedException e = assertThrows(UnauthorizedException.class, () -> stranger.beta().agents().list());
      assertEquals(401, e.statusCode());
    } finally {
      stranger.close();
    }
  }

  // ---------------------------------------------------------------- helpers

  private static BetaManagedAgentsCustomToolParams weatherTool() {
    return BetaManagedAgentsCustomToolParams.builder()
        .name("get_weather")
        .description("Get weather for a city")
        .inputSchema(BetaManagedAgentsCustomToolInputSchema.builder()
            .properties(BetaManagedAgentsCustomToolInputSchema.Properties.builder()
                .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                .build())
            .addRequired("city")
            .build())
        .build();
  }

  private BetaManagedAgentsAgent createAgent(String name) {
    return client.beta().agents().create(AgentCreateParams.builder().name(name).model(BetaManagedAgentsModel.of(MODEL)).build());
  }

  private BetaEnvironment createEnvironment(String name) {
    return client.beta().environments().create(EnvironmentCreateParams.builder().name(name).build());
  }

  private BetaManagedAgentsSession createSession(BetaManagedAgentsAgentParams agent, String envId) {
    return client.beta().sessions().create(SessionCreateParams.builder().agent(agent).environmentId(envId).build());
  }

  private BetaManagedAgentsSession newSession() {
    return createSession(BetaManagedAgentsAgentParams.of(createAgent("Chat").id()), createEnvironment("env").id());
  }

  private static EventSendParams userMessage(String text) {
    return EventSendParams.builder()
        .addEvent(BetaManagedAgentsUserMessageEventParams.builder().addTextContent(text).build())
        .build();
  }

  private List<BetaManagedAgentsSessionEvent> listEvents(String sessionId, BetaManagedAgentsSessionEventType type) {
    return client.beta().sessions().events().list(sessionId, EventListParams.builder().addType(type).build()).data();
  }

  /** Every session the SDK's auto-pager yields, in order. */
  private List<String> listSessionIds(SessionListParams.Builder params) {
    List<String> out = new ArrayList<>();
    client.beta().sessions().list(params.build()).autoPager().forEach(s -> out.add(s.id()));
    return out;
  }

  private Set<String> sessionIds(SessionListParams.Builder params) {
    List<String> ids = listSessionIds(params);
    Set<String> unique = Set.copyOf(ids);
    assertEquals(ids.size(), unique.size(), "no session may appear twice: " + ids);
    return unique;
  }

  private static <T> List<String> ids(List<T> items, Function<T, String> id) {
    return items.stream().map(id).toList();
  }

  /** Forwards every request to the gateway and counts them, so a test can see what the SDK really sent. */
  private static final class CountingProxy implements AutoCloseable {
    private static final Set<String> HOP_HEADERS = Set.of("host", "connection", "content-length", "expect", "upgrade",
        "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();

    private CountingProxy(String target) throws IOException {
      this.target = target;
      this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::forward);
      server.start();
    }

    static CountingProxy to(String target) throws IOException {
      return new CountingProxy(target);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Runs a call through this proxy with an SDK client at its default retry policy (two retries, which
     * the SDK applies to every 409 the server does not mark with {@code x-should-retry: false}).
     */
    ConflictException expectConflict(Consumer<AnthropicClient> call) {
      AnthropicClient counted = AnthropicOkHttpClient.builder().baseUrl(baseUrl()).apiKey(Gateway.KEY).maxRetries(2).build();
      try {
        ConflictException e = assertThrows(ConflictException.class, () -> call.accept(counted));
        assertEquals(409, e.statusCode());
        return e;
      } finally {
        counted.close();
      }
    }

    long count(String methodAndPath) {
      return requests.stream().filter(methodAndPath::equals).count();
    }

    private void forward(HttpExchange exchange) throws IOException {
      try (exchange) {
        URI uri = exchange.getRequestURI();
        requests.add(exchange.getRequestMethod() + " " + uri.getPath());
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(target + uri))
            .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
          if (!HOP_HEADERS.contains(name.toLowerCase())) {
            values.forEach(v -> req.header(name, v));
          }
        });
        HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        resp.headers().map().forEach((name, values) -> {
          if (!HOP_HEADERS.contains(name.toLowerCase()) && !name.startsWith(":")) {
            exchange.getResponseHeaders().put(name, values);
          }
        });
        byte[] out = resp.body();
        exchange.sendResponseHeaders(resp.statusCode(), out.length == 0 ? -1 : out.length);
        exchange.getResponseBody().write(out);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
