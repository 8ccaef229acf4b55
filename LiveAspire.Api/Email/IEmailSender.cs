namespace LiveAspire.Api.Email;

/// <summary>
/// Sends a plain-text mail. Development and Testing keep mail in a table (<see cref="DevelopmentMailbox"/>);
/// other environments use SMTP (<see cref="SmtpEmailSender"/>). Not transactional with the caller's database work:
/// call it after commit, and treat a failure as "the user may ask again".
/// </summary>
public interface IEmailSender
{
    Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken = default);
}
