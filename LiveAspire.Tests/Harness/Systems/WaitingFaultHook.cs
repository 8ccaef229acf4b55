namespace LiveAspire.Tests.Harness.Systems;

/// <summary>
/// A fault hook armed to hold the server at one point for one context (docs/realtime.md, "Fault hooks"): the server
/// writes <c>{hook}.reached</c> when it gets there and waits until the test writes <c>{hook}.release</c>. Disposing
/// disarms it and removes its files.
/// </summary>
public sealed class WaitingFaultHook : IDisposable
{
    private readonly string _arm, _reached, _release, _context;

    private WaitingFaultHook(string directory, string hook, string context)
    {
        _arm = Path.Combine(directory, $"{hook}.arm");
        _reached = Path.Combine(directory, $"{hook}.reached");
        _release = Path.Combine(directory, $"{hook}.release");
        _context = context;
    }

    public static async Task<WaitingFaultHook> ArmAsync(string directory, string hook, string context)
    {
        var armed = new WaitingFaultHook(directory, hook, context);
        await File.WriteAllTextAsync(armed._arm, $"wait\ncontext={context}");
        return armed;
    }

    /// <summary>Until the server holds at the hook for this context.</summary>
    public Task ReachedAsync(string what) =>
        Eventually.UntilAsync(() => File.Exists(_reached) && File.ReadAllText(_reached) == _context, what);

    /// <summary>Lets the held server go on.</summary>
    public Task ReleaseAsync() => File.WriteAllTextAsync(_release, "");

    public void Dispose()
    {
        File.Delete(_arm);
        File.Delete(_reached);
        File.Delete(_release);
    }
}
