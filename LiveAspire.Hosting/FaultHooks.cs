using Microsoft.Extensions.Hosting;

namespace LiveAspire.Hosting;

/// <summary>
/// Named points where tests make a process pause or crash, to hit exact failure windows (docs/architecture.md section 6).
/// Honoured only in the <c>Testing</c> environment; everywhere else <see cref="HitAsync"/> returns at once and does
/// no I/O. Two ways to arm a hook:
/// <list type="bullet">
/// <item>configuration <c>FaultHooks:Hooks:{name}</c> = an action, for the process's whole life;</item>
/// <item>a file <c>{FaultHooks:Directory}/{name}.arm</c> holding an action, which a test creates and deletes while
/// the process runs (so one running system serves several tests).</item>
/// </list>
/// Actions: <c>crash</c> (the process dies at once, as a kill would; a file-armed crash removes its <c>.arm</c> file
/// first, so it fires once), <c>pause:{ms}</c>, <c>wait</c> (pause until
/// the file <c>{name}.release</c> appears, at most 60 s), or <c>drop</c> (for hooks that guard a side effect, asked
/// with <see cref="DropsAsync"/>: the caller skips it, as if it were lost; <see cref="HitAsync"/> ignores it). A second line <c>context={text}</c> limits the hook to hits
/// whose context contains that text. When a hook fires it writes <c>{name}.reached</c> (the context) so a test
/// knows the process is standing at that point.
/// </summary>
public sealed partial class FaultHooks(IHostEnvironment environment, IConfiguration configuration, ILogger<FaultHooks> logger)
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);
    private readonly bool _enabled = environment.IsEnvironment("Testing");

    /// <summary>
    /// Whether the hook <paramref name="name"/> is armed with <c>drop</c> for this <paramref name="context"/>: the
    /// caller then skips what the hook guards (a notice, a cache write), as a lost message would. False outside Testing.
    /// </summary>
    public async ValueTask<bool> DropsAsync(string name, string context = "")
    {
        if (!_enabled || Arm(name) is not { Action: "drop" } arm || (arm.Context is { } only && !context.Contains(only, StringComparison.Ordinal)))
        {
            return false;
        }
        LogHit(logger, name, arm.Action, context);
        if (configuration["FaultHooks:Directory"] is { Length: > 0 } directory)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, $"{name}.reached"), context, CancellationToken.None);
        }
        return true;
    }

    public async ValueTask HitAsync(string name, string context = "", CancellationToken cancellationToken = default)
    {
        if (!_enabled || Arm(name) is not { } arm || (arm.Context is { } only && !context.Contains(only, StringComparison.Ordinal)))
        {
            return;
        }
        LogHit(logger, name, arm.Action, context);
        if (configuration["FaultHooks:Directory"] is { Length: > 0 } directory)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, $"{name}.reached"), context, CancellationToken.None);
        }
        switch (arm.Action)
        {
            case "crash":
                // One crash per arming: the armed file is taken away first, so the process that takes over (a standby
                // relay reaching the same point for the same rows) does not crash too before the test disarms it.
                Disarm(name);
                // As abrupt as a kill: no finally blocks, no graceful shutdown, no flush.
                Environment.FailFast($"fault hook {name}");
                break;
            case var pause when pause.StartsWith("pause:", StringComparison.Ordinal) && int.TryParse(pause[6..], out var ms):
                await Task.Delay(ms, cancellationToken);
                break;
            case "wait":
                await WaitForReleaseAsync(name, cancellationToken);
                break;
        }
    }

    private (string Action, string? Context)? Arm(string name)
    {
        var text = configuration[$"FaultHooks:Hooks:{name}"];
        if (text is null && configuration["FaultHooks:Directory"] is { Length: > 0 } directory)
        {
            var file = Path.Combine(directory, $"{name}.arm");
            try
            {
                text = File.Exists(file) ? File.ReadAllText(file) : null;
            }
            catch (IOException)
            {
                text = null; // being written right now: treat as not armed yet
            }
        }
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var context = lines.Skip(1).FirstOrDefault(l => l.StartsWith("context=", StringComparison.Ordinal))?["context=".Length..];
        return (lines[0], context);
    }

    private void Disarm(string name)
    {
        if (configuration["FaultHooks:Directory"] is { Length: > 0 } directory)
        {
            try
            {
                File.Delete(Path.Combine(directory, $"{name}.arm"));
            }
            catch (IOException)
            {
                // Best effort: the test deletes it too.
            }
        }
    }

    private async Task WaitForReleaseAsync(string name, CancellationToken cancellationToken)
    {
        var directory = configuration["FaultHooks:Directory"];
        var release = directory is null ? null : Path.Combine(directory, $"{name}.release");
        var deadline = DateTime.UtcNow + MaxWait;
        while (release is not null && !File.Exists(release) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Fault hook {Hook} fired: {Action} ({Context})")]
    private static partial void LogHit(ILogger logger, string hook, string action, string context);
}

/// <summary>The names of every fault hook, so tests and code cannot disagree on spelling.</summary>
public static class FaultHookNames
{
    /// <summary>Realtime, in a join (resume): subscribed to the room's channel, the room not read yet (context: the room).</summary>
    public const string ResumeAfterSubscribe = "resume-after-subscribe";

    /// <summary>Realtime, in resume: the replay was sent, live events are still being buffered.</summary>
    public const string ResumeBetweenReplayAndLive = "resume-between-replay-and-live";

    /// <summary>Realtime, when a connection has joined a room: its send queue's pump writes nothing until the hook is
    /// released, as if the client had stopped reading (context: <c>{room} user:{userId}</c>). Use with <c>wait</c>.</summary>
    public const string SendQueueHold = "send-queue-hold";

    /// <summary>Worker, outbox relay: a batch is published but not yet marked published (context: the batch's rooms).</summary>
    public const string OutboxAfterCommit = "outbox-after-commit";

    /// <summary>Worker, outbox relay: the first row of a batch of several is published (context: its room).</summary>
    public const string OutboxMidBatch = "outbox-mid-batch";

    /// <summary>Api, after a committed revocation (a session's or an overlay key's): armed with <c>drop</c>, the cache
    /// write and the notice to Realtime are both skipped, as a Redis blip would lose them (context: <c>user:{userId}</c>
    /// or <c>overlay-key:{keyId}</c>). Only Realtime's periodic re-check can then close the connections.</summary>
    public const string RevocationNoticeDrop = "revocation-notice-drop";

    /// <summary>Realtime, SendChat: the message is stored, not published yet. Armed with <c>drop</c>, the publish fails as
    /// if Redis were unreachable (the caller gets <c>redis_unavailable</c>); context: the message's <c>clientMsgId</c>.</summary>
    public const string ChatBeforePublish = "chat-before-publish";
}
