namespace LiveAspire.AppHost.Hosting;

public static class SigningKeyExtensions
{
    /// <summary>
    /// The ES256 key pair for access tokens, generated once into the state folder: the private half only for the
    /// issuer (Api), the public half for every validator. Deploy time: both are parameters to supply.
    /// </summary>
    public static (IResourceBuilder<ParameterResource> PrivateKey, IResourceBuilder<ParameterResource> PublicKey) AddSigningKeyPair(
        this IDistributedApplicationBuilder builder, string name)
    {
        var secrets = builder.Secrets;
        var privateKey = builder.AddSecretParameter($"{name}-private", value: () => secrets.GetOrCreateSigningKey(name).PrivateKeyPem);
        var publicKey = builder.AddResource(new ParameterResource($"{name}-public",
            () => secrets.GetOrCreateSigningKey(name).PublicKeyPem, secret: false));
        return (privateKey, publicKey);
    }
}
