using LiveAspire.ServiceDefaults.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public static class AuthenticationExtensions
{
    /// <summary>
    /// Registers JwtBearer as the default scheme (<c>Bearer</c>), validating Api's ES256 access tokens with the public
    /// key in <c>Auth:PublicKeyPem</c>, plus authorization. Separate from AddServiceDefaults: the Worker serves no users.
    /// </summary>
    public static TBuilder AddLiveAspireAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var section = builder.Configuration.GetSection(AccessTokenOptions.SectionName);
        builder.Services.Configure<AccessTokenOptions>(options =>
        {
            section.Bind(options);
            // The binder appends configured array items to the default; a configured list replaces it instead.
            if (section.GetSection(nameof(AccessTokenOptions.QueryTokenPaths)).Get<string[]>() is { Length: > 0 } paths)
            {
                options.QueryTokenPaths = paths;
            }
        });
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IPostConfigureOptions<JwtBearerOptions>, ConfigureAccessTokenValidation>());
        builder.Services.TryAddSingleton<AccessTokenEvents>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddAuthorization();
        return builder;
    }
}
