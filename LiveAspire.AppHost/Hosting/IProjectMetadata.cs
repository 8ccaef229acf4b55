namespace LiveAspire.AppHost.Hosting;

/// <summary>Where a project lives, as Aspire's generated <c>Projects.*</c> types say it.</summary>
public interface IProjectMetadata
{
    /// <summary>Path of the .csproj, relative to the repository root.</summary>
    string ProjectPath { get; }
}
