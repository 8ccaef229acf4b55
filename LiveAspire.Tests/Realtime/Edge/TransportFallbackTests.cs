using System.Net.Http.Headers;
using System.Text;

namespace LiveAspire.Tests.Realtime.Edge;

/// <summary>
/// Where WebSockets are blocked, Server-Sent Events and long polling still work. They make several HTTP requests
/// per connection and so need session affinity: tested against one replica's own address (docs/deploy.md says how
/// to configure affinity on a production load balancer).
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class TransportFallbackTests(AppHostFixture system) : RealtimeTestBase(system)
{
    private async Task<(HttpClient Http, string Token)> NegotiateAsync()
    {
        var user = await SystemTokens.NewUserAsync(System);
        var http = new HttpClient { BaseAddress = Replica(1), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SystemTokens.Mint(System, user));
        using var negotiate = await http.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null);
        Assert.True(negotiate.IsSuccessStatusCode, $"negotiate answered {(int)negotiate.StatusCode}");
        var body = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement;
        var transports = body.GetProperty("availableTransports").EnumerateArray().Select(t => t.GetProperty("transport").GetString()).ToList();
        Assert.Contains("ServerSentEvents", transports);
        Assert.Contains("LongPolling", transports);
        return (http, body.GetProperty("connectionToken").GetString()!);
    }

    /// <summary>Sends one framed record (<see cref="HubFraming"/>) on the connection, as both HTTP transports do.</summary>
    private static Task<HttpResponseMessage> SendAsync(HttpClient http, string token, string record) =>
        http.PostAsync($"/hubs/live?id={Uri.EscapeDataString(token)}", new StringContent(record, Encoding.UTF8, "text/plain"));

    [Fact]
    public async Task LongPollingConnectsAndAnswersAnInvocation()
    {
        var (http, token) = await NegotiateAsync();
        using (http)
        {
            var received = new StringBuilder();
            async Task<string> PollUntilAsync(Func<string, bool> done)
            {
                return await Eventually.GetAsync(async () =>
                {
                    using var poll = await http.GetAsync($"/hubs/live?id={Uri.EscapeDataString(token)}");
                    received.Append(await poll.Content.ReadAsStringAsync());
                    return received.ToString();
                }, s => s is not null && done(s), "long-poll records");
            }

            (await SendAsync(http, token, HubFraming.Handshake)).Dispose();
            await PollUntilAsync(s => HubFraming.Records(s).Contains("{}"));
            (await SendAsync(http, token, HubFraming.Serialize(HubFraming.Invocation("7", "Ping")))).Dispose();
            var all = await PollUntilAsync(s => s.Contains("\"invocationId\":\"7\"", StringComparison.Ordinal));

            var completion = HubFraming.Records(all).Where(r => r.Contains("\"invocationId\":\"7\"", StringComparison.Ordinal)).Single();
            Assert.Equal(System.Part("realtime", 1).Id, HubFraming.Parse(completion).GetProperty("result").GetProperty("replica").GetString());
        }
    }

    [Fact]
    public async Task ServerSentEventsConnectAndAnswerAnInvocation()
    {
        var (http, token) = await NegotiateAsync();
        using (http)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/hubs/live?id={Uri.EscapeDataString(token)}");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            using var stream = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));

            async Task<string> ReadUntilAsync(string marker)
            {
                var text = new StringBuilder();
                while (!text.ToString().Contains(marker, StringComparison.Ordinal))
                {
                    var line = await reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("the event stream ended");
                    if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        text.Append(line["data: ".Length..]);
                    }
                }
                return text.ToString();
            }

            (await SendAsync(http, token, HubFraming.Handshake)).Dispose();
            await ReadUntilAsync("{}");
            (await SendAsync(http, token, HubFraming.Serialize(HubFraming.Invocation("9", "Ping")))).Dispose();
            var text = await ReadUntilAsync("\"invocationId\":\"9\"");

            Assert.Contains(System.Part("realtime", 1).Id, text, StringComparison.Ordinal);
        }
    }
}
