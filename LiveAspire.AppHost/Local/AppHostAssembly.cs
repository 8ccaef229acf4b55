using System.Runtime.CompilerServices;

namespace LiveAspire.AppHost.Local;

/// <summary>
/// For tests that build part of the system from these resource builders: Aspire.Hosting.Testing's
/// <c>DistributedApplicationTestingBuilder.Create</c> finds the orchestrator through the app host assembly, which it
/// looks for on the call stack (the first assembly carrying the orchestrator's path, as this one does). Calling it
/// through here puts this assembly on the stack.
/// </summary>
public static class AppHostAssembly
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Run<T>(Func<T> create) => create();
}
