using LiveAspire.AppHost.Hosting;

// Aspire generates these from the AppHost's project references; without its SDK they are written by hand.
#pragma warning disable CA1707 // Names mirror Aspire's generated Projects.* types.
namespace Projects;

public sealed class LiveAspire_Api : IProjectMetadata
{
    public string ProjectPath => "LiveAspire.Api/LiveAspire.Api.csproj";
}

public sealed class LiveAspire_Realtime : IProjectMetadata
{
    public string ProjectPath => "LiveAspire.Realtime/LiveAspire.Realtime.csproj";
}

public sealed class LiveAspire_Worker : IProjectMetadata
{
    public string ProjectPath => "LiveAspire.Worker/LiveAspire.Worker.csproj";
}

public sealed class LiveAspire_Web : IProjectMetadata
{
    public string ProjectPath => "LiveAspire.Web/LiveAspire.Web.csproj";
}
