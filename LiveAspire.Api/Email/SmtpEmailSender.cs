using System.Net;
using System.Net.Mail;
using LiveAspire.Hosting;

namespace LiveAspire.Api.Email;

/// <summary>SMTP settings (section <c>Email:Smtp</c>).</summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Email:Smtp";

    /// <summary>SMTP server host name. Required outside Development and Testing.</summary>
    public string? Host { get; set; }

    /// <summary>SMTP port. Default 587 (submission, STARTTLS).</summary>
    public int Port { get; set; } = 587;

    /// <summary>Sender address. Required outside Development and Testing.</summary>
    public string? From { get; set; }

    /// <summary>Login name; with <see cref="Password"/>, or neither for an unauthenticated relay.</summary>
    public string? UserName { get; set; }

    /// <summary>Login password.</summary>
    public string? Password { get; set; }

    /// <summary>Use STARTTLS. Default true.</summary>
    public bool EnableSsl { get; set; } = true;

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first missing key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ConfigurationException($"{SectionName}:Host", "is missing");
        }
        if (string.IsNullOrWhiteSpace(From) || !MailAddress.TryCreate(From, out _))
        {
            throw new ConfigurationException($"{SectionName}:From", string.IsNullOrWhiteSpace(From) ? "is missing" : "is not a mail address");
        }
    }
}

/// <summary>Sends through an SMTP server with System.Net.Mail (a new client per mail: SmtpClient is not thread-safe).</summary>
public sealed class SmtpEmailSender(SmtpOptions options) : IEmailSender
{
    public async Task SendAsync(string to, string subject, string body, CancellationToken cancellationToken = default)
    {
        using var client = new SmtpClient(options.Host, options.Port) { EnableSsl = options.EnableSsl };
        if (!string.IsNullOrEmpty(options.UserName))
        {
            client.Credentials = new NetworkCredential(options.UserName, options.Password);
        }
        using var message = new MailMessage(options.From!, to, subject, body);
        await client.SendMailAsync(message, cancellationToken);
    }
}
