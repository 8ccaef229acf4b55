namespace LiveAspire.Tests.Harness.Clients;

/// <summary>
/// Stands in for the network at the end of a handler chain: answers with scripted status codes (the last one
/// repeats) and records what each attempt actually sent.
/// </summary>
internal sealed class RecordingHandler(params HttpStatusCode[] script) : HttpMessageHandler
{
    private int _calls;

    public List<(HttpMethod Method, Uri? Uri, string? Body, string? ContentType)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request.Method, request.RequestUri, body, request.Content?.Headers.ContentType?.ToString()));
        }
        var index = Math.Min(Interlocked.Increment(ref _calls) - 1, script.Length - 1);
        return new HttpResponseMessage(script.Length == 0 ? HttpStatusCode.OK : script[index]) { RequestMessage = request };
    }
}
