namespace LiveAspire.AppHost.Local;

public static class SecretParameterExtensions
{
    /// <summary>
    /// A secret parameter. Run mode: generated once into the state folder and reused, so data protected by it stays
    /// readable. Publish mode: an input without a value in the manifest, supplied at deploy time.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddSecret(this IDistributedApplicationBuilder builder, string name, LocalEnvironment? local)
    {
        if (local is not null)
        {
            builder.Configuration[$"Parameters:{name}"] = local.Secrets.GetOrCreatePassword(name);
        }
        return builder.AddParameter(name, secret: true);
    }

    /// <summary>
    /// The ES256 key pair for access tokens: the private half only for the issuer (Api), the public half for every
    /// validator. Run mode: generated once into the state folder. Publish mode: two parameters to supply.
    /// </summary>
    public static (IResourceBuilder<ParameterResource> PrivateKey, IResourceBuilder<ParameterResource> PublicKey) AddSigningKeyPair(
        this IDistributedApplicationBuilder builder, string name, LocalEnvironment? local)
    {
        if (local is not null)
        {
            var (privatePem, publicPem) = local.Secrets.GetOrCreateSigningKey(name);
            builder.Configuration[$"Parameters:{name}-private"] = privatePem;
            builder.Configuration[$"Parameters:{name}-public"] = publicPem;
        }
        return (builder.AddParameter($"{name}-private", secret: true), builder.AddParameter($"{name}-public"));
    }
}
