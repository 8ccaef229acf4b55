namespace LiveAspire.AppHost.Stores;

/// <summary>
/// PostgreSQL from the machine's binaries, run by the orchestrator as an executable. PostgreSQL refuses to run as
/// root, so under root the server runs as the <c>postgres</c> user through <c>setpriv</c>, which execs in place and
/// keeps the server's own process id. The password reaches <c>initdb</c> in a file, never on a command line.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    /// <summary>The superuser the services connect as.</summary>
    public const string UserName = "postgres";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.IPV4Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    internal List<LocalDatabaseResource> Databases { get; } = [];
}

/// <summary>A database on a <see cref="LocalPostgresResource"/>: created once the server is healthy.</summary>
public sealed class LocalDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
