namespace LiveAspire.Api.Email;

/// <summary>
/// The development mailbox (Development and Testing): "sends" by inserting into the table <c>dev_mailbox</c>, which
/// <c>GET /api/dev/mail</c> reads. Mail bodies hold live tokens, so this is never registered in other environments.
/// </summary>
public sealed class DevelopmentMailbox(NpgsqlDataSource dataSource) : IEmailSender
{
    public async Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO dev_mailbox (to_address, subject, body) VALUES ($1, $2, $3)");
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        command.Parameters.Add(new NpgsqlParameter { Value = subject });
        command.Parameters.Add(new NpgsqlParameter { Value = body });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
