namespace LiveAspire.AppHost.Hosting;

/// <summary>
/// How a test runs the AppHost's own entry point (AppHost.cs, unchanged) the way Aspire's
/// DistributedApplicationTestingBuilder does: the entry point runs with this hook set; CreateBuilder applies the
/// test's options, Build applies its model tweaks, and Run hands the built app to the test instead of blocking.
/// </summary>
public sealed class DistributedApplicationTestingHook
{
    private static readonly AsyncLocal<DistributedApplicationTestingHook?> CurrentHook = new();
    private readonly TaskCompletionSource<DistributedApplication> _built = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static DistributedApplicationTestingHook? Current => CurrentHook.Value;

    public Action<DistributedApplicationOptions>? ConfigureOptions { get; init; }

    /// <summary>Model changes a test makes after AppHost.cs defined the model and before it is built
    /// (arming a fault hook, pointing a service at a broken dependency).</summary>
    public Action<IDistributedApplicationBuilder>? ConfigureModel { get; init; }

    public Task<DistributedApplication> Built => _built.Task;

    internal Task HandOverAsync(DistributedApplication app)
    {
        _built.TrySetResult(app);
        return _released.Task;
    }

    /// <summary>Runs <paramref name="entryPoint"/> with this hook current and returns the app it builds.</summary>
    public async Task<DistributedApplication> RunEntryPointAsync(Func<Task> entryPoint, TimeSpan timeout)
    {
        var thread = new Thread(() =>
        {
            CurrentHook.Value = this;
            try
            {
                entryPoint().GetAwaiter().GetResult();
                _built.TrySetException(new InvalidOperationException("The AppHost entry point returned without running the application."));
            }
            catch (Exception e)
            {
                _built.TrySetException(e);
            }
        }) { IsBackground = true, Name = "AppHost entry point" };
        thread.Start();
        return await _built.Task.WaitAsync(timeout);
    }

    /// <summary>Lets the entry point return (after the test disposed the app).</summary>
    public void Release() => _released.TrySetResult();
}
