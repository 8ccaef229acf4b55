
namespace LiveAspire.Api.Email;

public static class EmailExtensions
{
    public const string TestingEnvironment = "Testing";

    /// <summary>
    /// Development and Testing: the development mailbox (a table). Elsewhere: SMTP, whose settings are checked now so a missing
    /// one stops start-up with a line naming the key.
    /// </summary>
    public static TBuilder AddEmail<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment(TestingEnvironment))
        {
            builder.Services.AddSingleton<IEmailSender, DevelopmentMailbox>();
            return builder;
        }
        var smtp = builder.Configuration.GetSection(SmtpOptions.SectionName).Get<SmtpOptions>() ?? new SmtpOptions();
        smtp.Validate();
        builder.Services.AddSingleton<IEmailSender>(new SmtpEmailSender(smtp));
        return builder;
    }
}
