using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using LiveAspire.Contracts.Errors;

namespace LiveAspire.Tests.Api;

/// <summary>
/// No input produces a 500 (issue 12 item 2). Every endpoint of Api's OpenAPI document gets the hostile corpus
/// (<see cref="InputCorpus"/>) in each body field, query and route parameter, one at a time, plus malformed bodies;
/// every answer must be a 4xx problem with a documented <c>code</c> (or a 2xx where the endpoint's entry below says
/// why a value may be accepted), and no table's row count may change. Each request goes out as a caller who passes
/// the endpoint's authorization, with the other fields valid, so the value reaches validation and, where it can,
/// the database: a create uses a baseline that fails on a unique constraint after the insert was tried (the taken
/// email, the channel the owner already has, the broadcast already open), so nothing is stored either way. An
/// endpoint in the document without an entry here fails the test, naming it.
/// </summary>
[Collection(InputCorpusCollection.Name)]
public sealed class InputCorpusTests(InputCorpusFixture system)
{
    private const int HugeLength = 100_000;
    private const string Placeholder = "@@corpus@@";

    private static readonly HashSet<string> DocumentedCodes = [.. typeof(ApiErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .Where(code => code != ApiErrorCodes.InternalError)];

    /// <summary>The accounts and channels the corpus acts as and on, created before the row counts are taken.</summary>
    private sealed record World(
        string AdminToken, Guid AdminId, TestAccount Taken, Guid TakenId, string ViewerToken,
        string IdleOwnerToken, Guid IdleChannel, string LiveOwnerToken, Guid LiveChannel, Guid StreamId, Guid EmoteId, Guid OverlayKeyId);

    /// <summary>How the corpus reaches one endpoint. Keys are <c>METHOD /path</c> as in the OpenAPI document.</summary>
    private sealed record Entry(string Key)
    {
        /// <summary>The bearer token of a caller the endpoint admits (null: anonymous).</summary>
        public Func<World, string?> Caller { get; init; } = _ => null;

        /// <summary>Valid route values: the corpus replaces one at a time.</summary>
        public Func<World, Dictionary<string, string>> Route { get; init; } = _ => [];

        /// <summary>The body around a varied field: valid, and failing after that field's checks so nothing is stored.</summary>
        public Func<World, string, JsonObject>? Body { get; init; }

        /// <summary>Raw (non-JSON) body: an emote image; the corpus sends hostile bytes.</summary>
        public Func<World, byte[]>? Image { get; init; }

        /// <summary>Valid query values the corpus replaces one at a time.</summary>
        public Func<World, Dictionary<string, string>> Query { get; init; } = _ => [];

        /// <summary>
        /// Inputs for which a 2xx is a correct answer ("*": all): reads store nothing, an update changes a row but adds
        /// none. Anything else must be refused.
        /// </summary>
        public IReadOnlySet<string> MayAccept { get; init; } = new HashSet<string>();

        /// <summary>True for an endpoint whose only input is its route (and whose valid call would change state): the corpus only replaces route values.</summary>
        public bool RouteOnly { get; init; }
    }

    private static readonly HashSet<string> All = ["*"];

    private static Dictionary<string, string> Id(Guid id) => new() { ["id"] = id.ToString("D") };

    private static IReadOnlyList<Entry> Entries() =>
    [
        new("GET /api/platform") { MayAccept = All },
        new("GET /api/channels/live") { MayAccept = All, Query = _ => new() { ["limit"] = "5" } },
        new("GET /api/channels") { MayAccept = All, Query = _ => new() { ["limit"] = "5", ["q"] = "corpus", ["category"] = "chess" } },
        new("GET /api/channels/{id}") { MayAccept = All, Route = w => Id(w.IdleChannel) },
        new("GET /api/channels/by-slug/{slug}") { MayAccept = All, Route = _ => new() { ["slug"] = "corpus-idle" } },
        new("POST /api/channels")
        {
            // The idle owner already has a channel: a body that passes validation fails on channels_owner_key.
            Caller = w => w.IdleOwnerToken,
            Body = (_, _) => new JsonObject
            {
                ["slug"] = "corpus-new", ["displayName"] = "Corpus", ["title"] = "title", ["category"] = "category",
                ["description"] = "description", ["avatarUrl"] = "https://example.test/a.png", ["settings"] = new JsonObject(), ["allowAnonymous"] = true,
            },
        },
        new("PATCH /api/channels/{id}") { Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel), Body = (_, _) => [], MayAccept = All },
        new("GET /api/channels/{id}/roles/me") { Caller = w => w.ViewerToken, Route = w => Id(w.IdleChannel), MayAccept = All },
        new("GET /api/streams/{id}") { MayAccept = All, Route = w => Id(w.StreamId) },
        new("GET /api/channels/{id}/streams") { MayAccept = All, Route = w => Id(w.LiveChannel), Query = _ => new() { ["limit"] = "5" } },
        new("POST /api/channels/{id}/streams")
        {
            // Already live: a valid body fails on streams_one_open after the insert was tried.
            Caller = w => w.LiveOwnerToken, Route = w => Id(w.LiveChannel),
            Body = (_, _) => new JsonObject { ["title"] = "title", ["category"] = "category" },
        },
        new("POST /api/channels/{id}/streams/current/end") { Caller = w => w.LiveOwnerToken, Route = w => Id(w.LiveChannel), RouteOnly = true },
        new("PATCH /api/channels/{id}/streams/current")
        {
            // Not live: a valid body answers 409 stream_not_live.
            Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel),
            Body = (_, _) => new JsonObject { ["title"] = "title", ["category"] = "category" },
        },
        new("PUT /api/channels/{id}/follow") { Caller = w => w.ViewerToken, Route = w => Id(w.IdleChannel), RouteOnly = true },
        new("DELETE /api/channels/{id}/follow") { Caller = w => w.ViewerToken, Route = w => Id(w.IdleChannel), RouteOnly = true },
        new("GET /api/channels/{id}/followers") { Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel), Query = _ => new() { ["limit"] = "5" }, MayAccept = All },
        new("GET /api/me/follows/live") { Caller = w => w.ViewerToken, MayAccept = All },
        new("GET /api/me/channel") { Caller = w => w.LiveOwnerToken, MayAccept = All },
        new("GET /api/me/follows") { Caller = w => w.ViewerToken, Query = _ => new() { ["limit"] = "5" }, MayAccept = All },
        new("POST /api/admin/subscriptions")
        {
            // No channel has this id: a valid body answers 404 channel_not_found.
            Caller = w => w.AdminToken,
            Body = (w, _) => new JsonObject
            {
                ["userId"] = w.TakenId, ["channelId"] = Guid.NewGuid(), ["tier"] = 1,
                ["periodStart"] = "2026-01-01T00:00:00Z", ["periodEnd"] = "2026-02-01T00:00:00Z",
            },
        },
        new("GET /api/me/subscriptions") { Caller = w => w.ViewerToken, MayAccept = All },
        new("GET /api/channels/{id}/moderators") { Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel), MayAccept = All },
        new("PUT /api/channels/{id}/moderators/{userId}")
        {
            Caller = w => w.IdleOwnerToken, RouteOnly = true,
            Route = w => new() { ["id"] = w.IdleChannel.ToString("D"), ["userId"] = w.TakenId.ToString("D") },
        },
        new("DELETE /api/channels/{id}/moderators/{userId}")
        {
            Caller = w => w.IdleOwnerToken, RouteOnly = true,
            Route = w => new() { ["id"] = w.IdleChannel.ToString("D"), ["userId"] = w.TakenId.ToString("D") },
        },
        new("GET /api/channels/{channelId}/chat")
        {
            MayAccept = All, Route = w => new() { ["channelId"] = w.IdleChannel.ToString("D") }, Query = _ => new() { ["limit"] = "5" },
        },
        new("GET /api/emotes") { MayAccept = All },
        new("GET /api/channels/{id}/emotes") { MayAccept = All, Route = w => Id(w.IdleChannel) },
        new("GET /api/emotes/{emoteId}/image") { MayAccept = All, Route = w => new() { ["emoteId"] = w.EmoteId.ToString("D") } },
        new("DELETE /api/emotes/{emoteId}") { Caller = w => w.IdleOwnerToken, RouteOnly = true, Route = w => new() { ["emoteId"] = w.EmoteId.ToString("D") } },
        new("POST /api/channels/{id}/emotes")
        {
            // The code is taken in this channel: a valid image and code fail on emotes_scope_code_key.
            Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel), Query = _ => new() { ["code"] = EmoteCode }, Image = _ => Gif,
        },
        new("POST /api/admin/emotes") { Caller = w => w.AdminToken, Query = _ => new() { ["code"] = EmoteCode }, Image = _ => Gif },
        new("GET /api/channels/{id}/overlay-keys") { Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel), MayAccept = All },
        new("POST /api/channels/{id}/overlay-keys") { Caller = w => w.IdleOwnerToken, Route = w => Id(w.IdleChannel), RouteOnly = true },
        new("POST /api/channels/{id}/overlay-keys/{keyId}/rotate")
        {
            Caller = w => w.IdleOwnerToken, RouteOnly = true,
            Route = w => new() { ["id"] = w.IdleChannel.ToString("D"), ["keyId"] = w.OverlayKeyId.ToString("D") },
        },
        new("POST /api/channels/{id}/overlay-keys/{keyId}/revoke")
        {
            Caller = w => w.IdleOwnerToken, RouteOnly = true,
            Route = w => new() { ["id"] = w.IdleChannel.ToString("D"), ["keyId"] = w.OverlayKeyId.ToString("D") },
        },
        new("POST /api/overlay/token") { Body = (_, _) => new JsonObject { ["key"] = "lao_notakey" } },
        // A guest token stores nothing (its id is random and kept nowhere): the idle channel allows guests, so 200 is right.
        new("POST /api/channels/{id}/guest-token") { Route = w => Id(w.IdleChannel), RouteOnly = true, MayAccept = All },
        new("POST /api/auth/register")
        {
            // Whatever the varied field, another one is taken: a body that passes validation fails on a unique key.
            Body = (w, field) => new JsonObject
            {
                ["username"] = field == "username" ? "corpus_name" : w.Taken.Username,
                ["email"] = field == "username" ? w.Taken.Email : "corpus@example.test",
                ["password"] = "corpus-password",
            },
        },
        new("POST /api/auth/login")
        {
            // A wrong password: nothing is issued or stored, whatever the varied field.
            Body = (w, _) => new JsonObject { ["login"] = w.Taken.Username, ["password"] = "wrong-password", ["deviceId"] = "corpus" },
        },
        new("POST /api/auth/refresh") { Body = (_, _) => new JsonObject { ["refreshToken"] = "notatoken" } },
        // Deleting a device's refresh token that does not exist deletes nothing: 204 is the answer for any valid id.
        new("POST /api/auth/logout") { Caller = w => w.ViewerToken, Body = (_, _) => new JsonObject { ["deviceId"] = "corpus-device" }, MayAccept = All },
        // No input but the token, and a valid call would end the corpus's own sessions.
        new("POST /api/auth/logout-all") { Caller = w => w.ViewerToken, RouteOnly = true },
        new("POST /api/auth/verify-email") { Body = (_, _) => new JsonObject { ["token"] = "notatoken" } },
        // The same 202 for every plausible address by design (it must not reveal who is registered); nobody has these.
        new("POST /api/auth/password-reset") { Body = (_, _) => new JsonObject { ["email"] = "nobody@example.test" }, MayAccept = All },
        new("POST /api/auth/password-reset/confirm") { Body = (_, _) => new JsonObject { ["token"] = "notatoken", ["newPassword"] = "corpus-password" } },
        new("GET /api/me") { Caller = w => w.ViewerToken, MayAccept = All },
        new("GET /api/users/by-name/{username}") { Caller = w => w.ViewerToken, Route = w => new() { ["username"] = w.Taken.Username }, MayAccept = All },
        new("GET /api/admin/users") { Caller = w => w.AdminToken, Query = w => new() { ["q"] = w.Taken.Username, ["limit"] = "5" }, MayAccept = All },
        new("POST /api/admin/users/{id}/ban")
        {
            // The admin's own id: a valid reason answers 409 cannot_target_self.
            Caller = w => w.AdminToken, Route = w => Id(w.AdminId), Body = (_, _) => new JsonObject { ["reason"] = "reason" },
        },
        new("POST /api/admin/users/{id}/unban") { Caller = w => w.AdminToken, Route = w => Id(w.TakenId), RouteOnly = true },
        new("PUT /api/admin/users/{id}/role") { Caller = w => w.AdminToken, Route = w => Id(w.AdminId), Body = (_, _) => new JsonObject { ["role"] = "user" } },
        new("GET /api/dev/mail") { MayAccept = All, Query = w => new() { ["to"] = w.Taken.Email } },
        new("POST /api/rooms/{room}/events")
        {
            // A system event is published to Redis (no row): any JSON payload and any valid envelope id may be accepted.
            Caller = w => w.AdminToken, Route = w => new() { ["room"] = $"stream:{w.IdleChannel:D}" },
            Body = (_, _) => new JsonObject { ["type"] = "system.corpus", ["data"] = new JsonObject(), ["id"] = null },
            MayAccept = new HashSet<string> { "data", "id" },
        },
        new("POST /api/admin/announcements")
        {
            // Published to Redis (no row), into the idle channel's room: a text, key or room the rules accept may be accepted.
            Caller = w => w.AdminToken,
            Body = (w, _) => new JsonObject { ["announcementId"] = "corpus", ["text"] = "corpus", ["room"] = $"stream:{w.IdleChannel:D}" },
            MayAccept = new HashSet<string> { "announcementId", "text", "room" },
        },
    ];

    private const string EmoteCode = "Corpus1";

    private static readonly byte[] Gif = [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0, (byte)';'];

    [Fact]
    public async Task EveryEndpointAnswersTheHostileCorpusWithADocumentedClientErrorAndStoresNothing()
    {
        using var http = system.CreateClient();
        var openApi = await http.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = Operations(openApi);
        var entries = Entries().ToDictionary(e => e.Key, StringComparer.Ordinal);
        var uncovered = operations.Keys.Where(k => !entries.ContainsKey(k)).Order().ToList();
        var stale = entries.Keys.Where(k => !operations.ContainsKey(k)).Order().ToList();
        Assert.True(uncovered.Count == 0, $"endpoints without corpus coverage (add an entry to InputCorpusTests): {string.Join(", ", uncovered)}");
        Assert.True(stale.Count == 0, $"entries for endpoints the OpenAPI document does not have: {string.Join(", ", stale)}");

        var world = await CreateWorldAsync(http);
        var cases = operations.SelectMany(o => Cases(entries[o.Key], o.Value, world, openApi)).ToList();
        var before = await system.RowCountsAsync();

        var failures = new ConcurrentBag<string>();
        var covered = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(4);
        await Task.WhenAll(cases.Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                using var request = c.Build();
                using var response = await http.SendAsync(request);
                if (await CheckAsync(c, response) is { } failure)
                {
                    failures.Add(failure);
                }
                covered.AddOrUpdate(c.Entry.Key, 1, (_, n) => n + 1);
            }
            finally
            {
                gate.Release();
            }
        })).WaitAsync(TimeSpan.FromMinutes(5));

        var after = await system.RowCountsAsync();
        Assert.True(failures.IsEmpty, $"{failures.Count} of {cases.Count} answers were wrong:\n{string.Join("\n", failures.OrderBy(f => f.Contains(": 5", StringComparison.Ordinal) ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal).Take(80))}");
        Assert.Equal(before, after);
        // An endpoint with no parameter and no body (GET /api/me, logout-all) has nothing to vary: its entry is its coverage.
        Assert.All(operations.Where(o => o.Value.TryGetProperty("parameters", out _) || o.Value.TryGetProperty("requestBody", out _)),
            o => Assert.True(covered.GetValueOrDefault(o.Key) > 0, $"{o.Key} got no corpus request"));
    }

    [Fact]
    public async Task AChannelDisplayNameWithABidiOverrideAndAZeroWidthSpaceIsRefused()
    {
        using var http = system.CreateClient();
        var (_, _, session) = await http.NewSessionAsync();
        var slug = $"bidi-{Guid.NewGuid():N}"[..20];

        using var response = await SendJsonAsync(http, HttpMethod.Post, "/api/channels",
            $"{{\"slug\":\"{slug}\",\"displayName\":{InputCorpus.Quote("\u202Eadmin\u200B...")}}}", session.AccessToken);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("displayName", out _));
        using var lookup = await http.GetAsync($"/api/channels/by-slug/{slug}");
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task AKelvinSignUsernameRegistersAsItsNfkcFormAndLogsInEitherWay()
    {
        using var http = system.CreateClient();
        var tail = Guid.NewGuid().ToString("N")[..10];
        var email = $"kelvin.{tail}@example.test";

        using var register = await SendJsonAsync(http, HttpMethod.Post, "/api/auth/register",
            $"{{\"username\":{InputCorpus.Quote($"\u212Aelvin_{tail}")},\"email\":\"{email}\",\"password\":\"kelvin-password\"}}");
        var bySign = await http.LoginAsync($"\u212Aelvin_{tail}", "kelvin-password");
        var byAscii = await http.LoginAsync($"kelvin_{tail}", "kelvin-password");

        Assert.True(register.StatusCode == HttpStatusCode.Created, await register.Content.ReadAsStringAsync());
        Assert.Equal($"Kelvin_{tail}", bySign.User.Username);
        Assert.Equal(bySign.User.Id, byAscii.User.Id);
    }

    public static TheoryData<string, string> LoneSurrogateFields() => new()
    {
        { "/api/auth/register", "username" }, { "/api/auth/register", "email" }, { "/api/auth/register", "password" },
        { "/api/auth/login", "login" }, { "/api/auth/login", "password" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateFields))]
    public async Task ALoneSurrogateInAnAccountFieldIsRefusedWith400(string path, string field)
    {
        using var http = system.CreateClient();
        var account = TestAccount.New("surrogate");
        var body = new Dictionary<string, string>
        {
            ["username"] = account.Username, ["email"] = account.Email, ["password"] = account.Password,
            ["login"] = account.Username, ["deviceId"] = "device-1",
        };
        body[field] = "\uD800x" + body[field];

        using var response = await SendJsonAsync(http, HttpMethod.Post, path,
            "{" + string.Join(",", body.Select(f => $"\"{f.Key}\":{InputCorpus.Quote(f.Value)}")) + "}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, ApiErrorCodes.ValidationFailed);
    }

    [Fact]
    public async Task ChannelAndStreamNamesAreKeptInTheirNfkcForm()
    {
        using var http = system.CreateClient();
        var (_, _, session) = await http.NewSessionAsync();
        var slug = $"nfkc-{Guid.NewGuid():N}"[..20];

        using var created = await SendJsonAsync(http, HttpMethod.Post, "/api/channels",
            $"{{\"slug\":\"{slug}\",\"displayName\":{InputCorpus.Quote("\uFF2C\uFF49\uFF56\uFF45 \uFB01sh")},\"category\":{InputCorpus.Quote(" Cafe\u0301 ")}}}",
            session.AccessToken);
        var channel = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var live = await SendJsonAsync(http, HttpMethod.Post, $"/api/channels/{channel.GetProperty("id").GetGuid():D}/streams",
            $"{{\"title\":{InputCorpus.Quote("\u212A\u00B2 \u2460")}}}", session.AccessToken);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Live fish", channel.GetProperty("displayName").GetString());
        Assert.Equal("Caf\u00E9", channel.GetProperty("category").GetString());
        Assert.Equal(HttpStatusCode.Created, live.StatusCode);
        Assert.Equal("K2 1", (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    private static Task<HttpResponseMessage> SendJsonAsync(HttpClient http, HttpMethod method, string path, string json, string? token = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = Json(json) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http.SendAsync(request);
    }

    private sealed record Case(Entry Entry, string Name, Func<HttpRequestMessage> Build, string? Field)
    {
        /// <summary>The value is in the path or query, which the HTTP server reads before Api.</summary>
        public bool InRequestLine => Name.StartsWith("route ", StringComparison.Ordinal) || Name.StartsWith("query ", StringComparison.Ordinal);

        public bool MayAccept => Entry.MayAccept.Contains("*") || (Field is not null && Entry.MayAccept.Contains(Field));
    }

    private static async Task<string?> CheckAsync(Case c, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var label = $"{c.Entry.Key} {c.Name}: {status}";
        if (status is >= 200 and < 300)
        {
            return c.MayAccept ? null : $"{label} accepted (must be refused) {Clip(body)}";
        }
        if (status is < 400 or >= 500)
        {
            return $"{label} {Clip(body)}";
        }
        if (c.InRequestLine && status is 400 or 414 && body.Length == 0)
        {
            // Kestrel refuses a request line with a NUL byte or bytes that are not UTF-8 (400), or over 8 KiB (414),
            // before the application runs: an answer without a body (docs/errors.md, "Before Api").
            return null;
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{label} without a problem body ({response.Content.Headers.ContentType}) {Clip(body)}";
        }
        string? code;
        try
        {
            using var json = JsonDocument.Parse(body);
            code = json.RootElement.TryGetProperty("code", out var c2) ? c2.GetString() : null;
        }
        catch (JsonException)
        {
            return $"{label} unreadable problem {Clip(body)}";
        }
        if (code is ApiErrorCodes.RateLimited)
        {
            // A limit would answer for the value under test: lift it in InputCorpusFixture.
            return $"{label} rate_limited: a rate limit hid the answer {Clip(body)}";
        }
        if (code is ApiErrorCodes.Unauthenticated or ApiErrorCodes.Forbidden)
        {
            // Every entry's caller may use its endpoint: a 401/403 means the value never reached validation.
            return $"{label} {code}: the caller did not get past authorization {Clip(body)}";
        }
        return code is not null && DocumentedCodes.Contains(code) ? null : $"{label} undocumented code '{code}' {Clip(body)}";
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>Every operation of the document as <c>METHOD /path</c>, with its operation object.</summary>
    private static Dictionary<string, JsonElement> Operations(JsonElement openApi)
    {
        var operations = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                operations[$"{operation.Name.ToUpperInvariant()} {path.Name}"] = operation.Value;
            }
        }
        return operations;
    }

    private static IEnumerable<Case> Cases(Entry entry, JsonElement operation, World world, JsonElement openApi)
    {
        var method = new HttpMethod(entry.Key[..entry.Key.IndexOf(' ')]);
        var template = entry.Key[(entry.Key.IndexOf(' ') + 1)..];
        var token = entry.Caller(world);
        var route = entry.Route(world);
        var query = entry.Query(world);
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var bodyFields = JsonBodyFields(operation, openApi);
        var strings = InputCorpus.Strings(HugeLength);

        HttpRequestMessage Request(Dictionary<string, string> routeValues, Dictionary<string, string> queryValues, HttpContent? content)
        {
            var path = routeValues.Aggregate(template, (t, v) => t.Replace("{" + v.Key + "}", v.Value, StringComparison.Ordinal));
            var queryText = string.Join("&", queryValues.Select(q => $"{q.Key}={q.Value}"));
            var request = new HttpRequestMessage(method, queryText.Length == 0 ? path : $"{path}?{queryText}") { Content = content };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            return request;
        }

        HttpContent? BaselineContent(string? field)
            => entry.Image is { } image ? Bytes(image(world), "image/gif")
                : entry.Body is { } body && !entry.RouteOnly ? Json(body(world, field ?? "").ToJsonString()) : null;

        foreach (var parameter in parameters)
        {
            var name = parameter.GetProperty("name").GetString()!;
            var location = parameter.GetProperty("in").GetString();
            var isGuid = parameter.TryGetProperty("schema", out var schema) && schema.TryGetProperty("format", out var format) && format.GetString() == "uuid";
            IEnumerable<(string Name, string Encoded)> values = isGuid
                ? [("not-a-guid", "not-a-guid"), ("nul", "%00"), ("surrogate-bytes", "%ED%A0%80"), ("huge", new string('f', 4000)),
                   ("almost-guid", "00000000-0000-0000-0000-00000000000g")]
                : strings.Select(s => (s.Name, InputCorpus.PercentEncode(s.Name.StartsWith("huge", StringComparison.Ordinal) ? s.Text[..Math.Min(s.Text.Length, 6000)] : s.Text)))
                    .Concat([("int-overflow", "99999999999999999999"), ("negative", "-1"), ("float", "1.5")]);
            foreach (var (valueName, encoded) in values)
            {
                if (location == "path")
                {
                    yield return new Case(entry, $"route {name}={valueName}",
                        () => Request(new(route) { [name] = encoded }, query, BaselineContent(null)), name);
                }
                else if (location == "query")
                {
                    yield return new Case(entry, $"query {name}={valueName}",
                        () => Request(route, new(query) { [name] = encoded }, BaselineContent(null)), name);
                }
            }
        }
        if (entry.RouteOnly)
        {
            yield break;
        }
        if (entry.Image is not null)
        {
            foreach (var (name, body, contentType) in InputCorpus.MalformedBodies.Append(("png-header-only", [0x89, (byte)'P', (byte)'N', (byte)'G'], "image/png"))
                         .Append(("oversized-image", [.. "GIF89a"u8, .. new byte[300 * 1024]], "image/gif")))
            {
                yield return new Case(entry, $"image {name}", () => Request(route, query, Bytes(body, contentType)), "image");
            }
            yield break;
        }
        if (bodyFields is null)
        {
            yield break;
        }
        if (entry.Body is null)
        {
            throw new InvalidOperationException($"{entry.Key} takes a JSON body but its entry gives no baseline body");
        }
        foreach (var (name, body, contentType) in InputCorpus.MalformedBodies)
        {
            yield return new Case(entry, $"body {name}", () => Request(route, query, Bytes(body, contentType)), null);
        }
        foreach (var field in bodyFields)
        {
            var baseline = entry.Body(world, field);
            if (!baseline.ContainsKey(field) && entry.Key != "PATCH /api/channels/{id}")
            {
                throw new InvalidOperationException($"{entry.Key}: the baseline body has no field '{field}' (the OpenAPI document has it)");
            }
            var valid = baseline[field];
            baseline[field] = Placeholder;
            var shell = baseline.ToJsonString();
            var values = InputCorpus.All(HugeLength).ToList();
            // The corpus inside a valid value too, so it passes shape checks (an address, a prefix) and goes deeper.
            if (valid is JsonValue v && v.TryGetValue<string>(out var text))
            {
                values.AddRange(strings.Where(s => !s.Name.StartsWith("huge", StringComparison.Ordinal) && s.Text.Length > 0)
                    .Select(s => new CorpusValue($"{s.Name}+valid", InputCorpus.Quote(s.Text + text))));
            }
            else if (valid is JsonObject)
            {
                values.AddRange(InputCorpus.All(HugeLength / 10).Select(c => new CorpusValue($"{{k:{c.Name}}}", $"{{\"k\":{c.Json}}}")));
            }
            foreach (var value in values)
            {
                var json = shell.Replace($"\"{Placeholder}\"", value.Json, StringComparison.Ordinal);
                yield return new Case(entry, $"{field}={value.Name}", () => Request(route, query, Json(json)), field);
            }
        }
    }

    /// <summary>The property names of the operation's JSON body schema, or null when it takes no JSON body.</summary>
    private static List<string>? JsonBodyFields(JsonElement operation, JsonElement openApi)
    {
        if (!operation.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json))
        {
            return null;
        }
        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = openApi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }
        return schema.TryGetProperty("properties", out var properties) ? [.. properties.EnumerateObject().Select(p => p.Name)] : [];
    }

    private static ByteArrayContent Json(string json) => Bytes(Encoding.UTF8.GetBytes(json), "application/json");

    private static ByteArrayContent Bytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    private async Task<World> CreateWorldAsync(HttpClient http)
    {
        var admin = await http.LoginAsync("admin", InputCorpusFixture.AdminPassword);
        var taken = TestAccount.New("taken");
        var takenId = await http.RegisterAsync(taken);
        var (_, _, viewer) = await http.NewSessionAsync();
        var (_, _, idleOwner) = await http.NewSessionAsync();
        var (_, _, liveOwner) = await http.NewSessionAsync();
        var idleChannel = await CreateChannelAsync(http, idleOwner.AccessToken, "corpus-idle");
        var liveChannel = await CreateChannelAsync(http, liveOwner.AccessToken, "corpus-live");
        using var live = await http.PostAsync($"/api/channels/{liveChannel:D}/streams", new { title = "live" }, liveOwner.AccessToken);
        Assert.Equal(HttpStatusCode.Created, live.StatusCode);
        var streamId = (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var emoteId = await UploadEmoteAsync(http, $"/api/channels/{idleChannel:D}/emotes?code={EmoteCode}", idleOwner.AccessToken);
        await UploadEmoteAsync(http, $"/api/admin/emotes?code={EmoteCode}", admin.AccessToken);
        using var key = await http.PostAsync($"/api/channels/{idleChannel:D}/overlay-keys", null, idleOwner.AccessToken);
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        var keyId = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new World(admin.AccessToken, admin.User.Id, taken, takenId, viewer.AccessToken,
            idleOwner.AccessToken, idleChannel, liveOwner.AccessToken, liveChannel, streamId, emoteId, keyId);
    }

    private static async Task<Guid> CreateChannelAsync(HttpClient http, string token, string slug)
    {
        using var response = await http.PostAsync("/api/channels", new { slug, displayName = slug }, token);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<Guid> UploadEmoteAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Bytes(Gif, "image/gif") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
