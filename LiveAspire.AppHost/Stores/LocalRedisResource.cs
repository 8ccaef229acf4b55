namespace LiveAspire.AppHost.Stores;

/// <summary>
/// <c>redis-server</c> from the machine's package, run by the orchestrator as an executable (there is no container
/// engine here). It reads a config file in the state folder (mode 600) that holds the password, so the password is
/// never on a command line; the append-only file is on, so acknowledged writes survive a restart.
/// </summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    /// <summary><c>127.0.0.1:PORT,password=...</c>, the StackExchange.Redis form services read. The IPv4 address, not
    /// <c>localhost</c>: Redis listens on 127.0.0.1 only, and a client that tried ::1 first would wait for nothing.</summary>
    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.IPV4Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");
}
