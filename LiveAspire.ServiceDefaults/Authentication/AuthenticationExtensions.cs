using LiveAspire.ServiceDefaults.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class AuthenticationExtensions
{
    /// <summary>
    /// Registers the <c>Bearer</c> scheme (the default) validating Api's ES256 access tokens with the public key in
    /// <c>Auth:PublicKeyPem</c>, plus authorization. Separate from AddServiceDefaults: the Worker serves no users.
    /// </summary>
    public static TBuilder AddLiveAspireAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(JwtValidationOptions.SectionName);
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IPostConfigureOptions<JwtValidationOptions>, JwtValidationPostConfigure>());
        builder.Services.AddAuthentication(JwtValidationOptions.SchemeName)
            .AddScheme<JwtValidationOptions, JwtValidationHandler>(JwtValidationOptions.SchemeName, options =>
            {
                section.Bind(options);
                // The binder appends configured array items to the default; a configured list replaces it instead.
                if (section.GetSection(nameof(JwtValidationOptions.QueryTokenPaths)).Get<string[]>() is { Length: > 0 } paths)
                {
                    options.QueryTokenPaths = paths;
                }
            });
        builder.Services.AddAuthorization();
        return builder;
    }
}
